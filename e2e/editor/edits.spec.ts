import { expect, test } from "@playwright/test";
import { connect, importFlow, node, shot } from "../helpers";

test("undo and redo bring back a deleted node with its edges", async ({ page, request }) => {
  const id = await importFlow(request, "examples/crm-contact.json", "Undo demo");
  await page.goto(`/flows/${id}`);
  await expect(node(page, "map")).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  await node(page, "map").click();
  await page.keyboard.press("Delete");
  await expect(node(page, "map")).toHaveCount(0);
  await expect(page.locator(".react-flow__edge")).toHaveCount(0);

  await page.keyboard.press("ControlOrMeta+Z");
  await expect(node(page, "map")).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  await page.keyboard.press("ControlOrMeta+Shift+Z");
  await expect(node(page, "map")).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(node(page, "map")).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await shot(page, "editor-undo");
});

test("a connection that would make a cycle is refused with its reason", async ({ page, request }) => {
  const id = await importFlow(request, "examples/crm-contact.json", "Cycle demo");
  await page.goto(`/flows/${id}`);
  await expect(node(page, "reply")).toBeVisible();
  await connect(page, "reply", "map");
  await expect(page.getByRole("alert").filter({ hasText: "Connection refused" })).toContainText('Connection refused: this would make a cycle: "map" already leads to "reply"');
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await shot(page, "editor-cycle");
});

test("an invalid config shows the red mark on the node and the message at the field", async ({ page, request }) => {
  const id = await importFlow(request, "examples/crm-contact.json", "Invalid demo");
  await page.goto(`/flows/${id}`);
  await node(page, "in").click();
  await page.getByLabel("Path").fill("not a valid path!");
  await expect(node(page, "in").getByRole("img", { name: "invalid configuration" })).toBeVisible();
  await expect(node(page, "in").locator(".node-problem")).toContainText("use letters, digits");
  await expect(page.locator('[data-path="path"] .field-error')).toContainText("use letters, digits");
  await expect(page.getByText("1 problem")).toBeVisible();
  await shot(page, "editor-invalid");
});
