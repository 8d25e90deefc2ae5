import { expect, test } from "@playwright/test";
import { dragWithMouse, importFlow, node, runWithSample, shot } from "../helpers";

const SAMPLE = { contact: { email: "Ada@Example.com", name: "Ada Lovelace", age: "36" }, source: "crm" };

test("the mapping preview maps dragged source fields and explains each field's problem", async ({ page, request }) => {
  const id = await importFlow(request, "e2e/fixtures/contact-mapping.json", "Contact mapping");
  await page.goto(`/flows/${id}`);
  await expect(node(page, "map")).toBeVisible();
  await runWithSample(page, "in", SAMPLE);

  await node(page, "map").click();
  await page.getByRole("button", { name: "Open mapping preview" }).click();
  const dialog = page.getByRole("dialog", { name: "Mapping preview" });
  await expect(dialog.getByText("Sample: this node's input in the last test run")).toBeVisible();
  const target = (name: string) => dialog.getByRole("listitem", { name: `Target ${name}` });
  const output = dialog.getByRole("region", { name: "Mapped output" }).locator("pre");

  // The required email reads a field the sample does not have.
  await expect(target("email").locator(".field-error")).toHaveText("Required, but `mail` gave no value.");
  await expect(output).not.toContainText('"email"');

  const source = (path: string) => dialog.getByRole("treeitem", { name: path, exact: true }).locator(".source-field").first();
  await dragWithMouse(page, source("contact.email"), target("email"));
  await dragWithMouse(page, source("contact.age"), target("age"));
  await expect(target("email").getByRole("textbox", { name: "Value of email" })).toHaveValue("contact.email");
  await expect(target("age").getByRole("textbox", { name: "Value of age" })).toHaveValue("contact.age");
  await expect(target("email").locator(".field-error")).toHaveCount(0);
  // Coerced by the node's rules: the text "36" becomes the integer 36.
  await expect(output).toContainText('"email": "Ada@Example.com"');
  await expect(output).toContainText('"age": 36');

  // A name in the wrong case is named, with the field that exists.
  const fullName = target("fullName").getByRole("textbox", { name: "Value of fullName" });
  await fullName.fill("");
  await fullName.pressSequentially("Contact.name");
  await expect(target("fullName").locator(".field-error")).toHaveText("`Contact` not found; did you mean `contact`?");
  await shot(page, "mapping-preview-hint");

  await fullName.fill("contact.name");
  await expect(output).toContainText('"fullName": "Ada Lovelace"');
  // A value that cannot be turned into the field's type.
  await target("fullName").getByRole("combobox", { name: "Type of fullName" }).selectOption("number");
  await expect(target("fullName").locator(".field-error")).toHaveText('Type number: cannot turn "Ada Lovelace" into a number.');
  await shot(page, "mapping-preview");

  // The edits are the node's config: closing the preview shows them in the form.
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.locator('[data-path="fields[0].expr"] .view-lines')).toContainText("contact.email");
});

test("the mapping preview of a 100 KB sample is evaluated in under 100 ms", async ({ page, request }) => {
  const id = await importFlow(request, "e2e/fixtures/contact-mapping.json", "Large contact mapping");
  const lines = Array.from({ length: 1200 }, (_, i) => ({ sku: `SKU-${i}`, title: `Item number ${i} with a longer title`, qty: i % 7, price: (i * 1.37).toFixed(2) }));
  const sample = { ...SAMPLE, lines };
  expect(JSON.stringify(sample).length).toBeGreaterThan(100_000);
  // Typing 100 KB into the sample editor takes longer than the test: the sample is put where the
  // editor keeps it (this browser's storage), then the flow is run from the toolbar.
  await page.addInitScript(([key, text]) => localStorage.setItem(key!, text!), [`gate:sample:${id}`, JSON.stringify(sample)]);
  await page.goto(`/flows/${id}`);
  await expect(node(page, "map")).toBeVisible();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.locator(".notice").filter({ hasText: "Test run" })).toBeVisible();
  await node(page, "map").click();
  await page.getByRole("button", { name: "Open mapping preview" }).click();
  const dialog = page.getByRole("dialog", { name: "Mapping preview" });
  const value = dialog.getByRole("textbox", { name: "Value of age" });
  await value.fill("$count(lines)");
  await expect(dialog.getByRole("region", { name: "Mapped output" }).locator("pre")).toContainText('"age": 1200');
  const ms = Number(await dialog.getByRole("region", { name: "Mapped output" }).getAttribute("data-eval-ms"));
  expect(ms).toBeLessThan(100);
});
