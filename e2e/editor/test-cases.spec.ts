import { expect, test } from "@playwright/test";
import { importFlow, node, runWithSample, shot, typeInCode } from "../helpers";

const SAMPLE = { contact: { email: "Ada@Example.com", name: "Ada Lovelace" } };

test("a test run is saved as a test case that passes, then names the difference after a change", async ({ page, request }) => {
  const id = await importFlow(request, "e2e/fixtures/contact-cases.json", "Contact cases");
  await page.goto(`/flows/${id}`);
  await expect(node(page, "map")).toBeVisible();
  await runWithSample(page, "in", SAMPLE);

  await page.getByRole("button", { name: "Test cases" }).click();
  const panel = page.getByRole("complementary", { name: "Test cases" });
  const form = panel.getByRole("form", { name: "Save as test case" });
  // The leaf node is chosen by default: what the flow finally produces.
  await expect(form.getByRole("checkbox", { name: "map" })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: "in" })).not.toBeChecked();
  await form.getByLabel("Name").fill("Ada from the CRM");
  await form.getByRole("button", { name: "Save as test case" }).click();
  await expect(page.getByText("Test case “Ada from the CRM” saved (version 2).")).toBeVisible();

  const saved = panel.getByRole("listitem", { name: "Case Ada from the CRM" });
  await saved.getByRole("button", { name: "Run" }).click();
  await expect(saved.getByRole("status")).toContainText("✓ passed");
  await shot(page, "test-case-passed");

  // Change the mapping and save: the case now names what differs.
  await panel.getByRole("button", { name: "Close test cases" }).click();
  await node(page, "map").click();
  await typeInCode(page, page.locator('[data-path="fields[0].expr"]'), "contact.name & '!'");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/^Saved as version 3/)).toBeVisible();
  await page.getByRole("button", { name: "Test cases" }).click();
  await saved.getByRole("button", { name: "Run" }).click();
  const failed = saved.getByRole("alert");
  await expect(failed).toContainText("✗ 1 difference");
  await expect(failed).toContainText("map.main[0].fullName");
  await expect(failed).toContainText('"Ada Lovelace!"');
  await shot(page, "test-case-difference");

  // Pinned output is marked on the canvas.
  await panel.getByRole("button", { name: "Close test cases" }).click();
  await node(page, "map").click();
  await page.getByRole("tab", { name: /Data/ }).click();
  await page.getByRole("button", { name: "Pin output" }).click();
  await expect(node(page, "map").locator(".pin-badge")).toHaveText("pinned");
  await shot(page, "node-pinned");
});
