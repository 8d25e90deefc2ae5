import { expect, test } from "@playwright/test";
import { generateFlow } from "../../bench/editor-flow";
import { mutate, node, shot } from "../helpers";

test("a large flow zoomed out shows compact nodes; zoomed in, the details and only the nodes in view", async ({ page, request }) => {
  const doc = { ...generateFlow(200, 260), name: "Large flow" };
  const { id } = (await mutate(request, "flows.import", { doc })) as { id: string };
  await page.goto(`/flows/${id}`);

  // The whole flow fits the canvas: far too small for the small print, so the nodes are compact.
  await expect(page.locator(".react-flow__minimap-node")).toHaveCount(200);
  await expect(page.locator(".canvas")).toHaveClass(/is-compact/);
  await expect(node(page, "step1").locator(".node-title")).toBeVisible();
  await expect(node(page, "step1").locator(".node-id")).toBeHidden();
  await expect(node(page, "step1").locator(".react-flow__handle").first()).toBeHidden();
  await shot(page, "editor-large-compact");

  const zoomIn = page.getByRole("button", { name: /zoom in/i });
  for (let i = 0; i < 12 && (await page.locator(".canvas.is-compact").count()) > 0; i++) await zoomIn.click();
  await expect(page.locator(".canvas")).not.toHaveClass(/is-compact/);
  // Only the nodes in view are in the page now, each with its id and ports.
  const shown = await page.locator(".react-flow__node").count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(200);
  const first = page.locator(".react-flow__node").first();
  await expect(first.locator(".node-id")).toBeVisible();
  await expect(first.locator(".react-flow__handle").first()).toBeVisible();
  await shot(page, "editor-large-zoomed-in");
});
