import { expect, test } from "@playwright/test";
import { connect, dropFromPalette, node, shot, typeInCode } from "../helpers";

test("a person builds, runs and saves a flow from an empty canvas", async ({ page }) => {
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByRole("dialog").getByLabel("Name").fill("Contact intake");
  await page.getByRole("dialog").getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]+$/);
  await expect(page.getByText("An empty canvas")).toBeVisible();
  await shot(page, "editor-empty");

  await dropFromPalette(page, "trigger.webhook", 140, 90);
  await expect(node(page, "webhook")).toBeVisible();
  // The first node stays where it was dropped (the canvas once re-centred and zoomed on it): the
  // drop point is near the card's top-left corner, which sits 100 px left of and 30 px above it.
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  const card = (await node(page, "webhook").boundingBox())!;
  expect(Math.abs(card.x - (pane.x + 140 - 100))).toBeLessThan(8);
  expect(Math.abs(card.y - (pane.y + 90 - 30))).toBeLessThan(8);
  await page.getByLabel("Path").fill("contacts/intake");

  await dropFromPalette(page, "map.fields", 440, 90);
  await expect(node(page, "fields")).toBeVisible();
  await page.getByRole("button", { name: "+ Add field" }).click();
  await page.getByLabel("Target field").fill("fullName");
  await typeInCode(page, page.locator('[data-path="fields[0].expr"]'), "first & ' ' & last");
  await page.getByRole("button", { name: "+ Add field" }).click();
  await page.locator('[data-path="fields[1].target"] input').fill("age");
  await typeInCode(page, page.locator('[data-path="fields[1].expr"]'), "age");
  await page.locator('[data-path="fields[1].type"] select').selectOption("integer");

  await dropFromPalette(page, "transform.filter", 140, 300);
  await expect(node(page, "filter")).toBeVisible();
  await typeInCode(page, page.locator('[data-path="condition"]'), "age >= 18");

  await dropFromPalette(page, "respond", 440, 300);
  await expect(node(page, "respond")).toBeVisible();

  await connect(page, "webhook", "fields");
  await connect(page, "fields", "filter");
  await connect(page, "filter", "respond");
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);

  await node(page, "webhook").click();
  await typeInCode(page, page.getByRole("region", { name: "Sample payload" }), '{"first": "Ada", "last": "Lovelace", "age": "36"}');
  await page.getByRole("toolbar").getByRole("button", { name: "Run", exact: true }).click();
  await expect(node(page, "respond").getByTestId("run-badge")).toContainText("1 → 1");
  await expect(node(page, "fields").getByTestId("run-badge")).toContainText("1 → 1");

  await node(page, "respond").click();
  await page.getByRole("tab", { name: /Data/ }).click();
  const output = page.getByRole("region", { name: "Output main" });
  await expect(output.getByRole("cell", { name: "Ada Lovelace" })).toBeVisible();
  await expect(output.getByRole("cell", { name: "36", exact: true })).toBeVisible();
  await shot(page, "editor-run");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Saved as version 2/)).toBeVisible();
  await page.reload();
  for (const id of ["webhook", "fields", "filter", "respond"]) await expect(node(page, id)).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);
  await expect(page.getByText("· saved")).toBeVisible();
  await shot(page, "editor-reloaded");
});
