import { expect, test } from "@playwright/test";
import { dropFromPalette, node, shot } from "../helpers";

test("a URL field warns when its address is plain http://", async ({ page }) => {
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByRole("dialog").getByLabel("Name").fill("Plain http");
  await page.getByRole("dialog").getByRole("button", { name: "Create" }).click();
  await dropFromPalette(page, "http.request", 200, 160);
  await expect(node(page, "request")).toBeVisible();

  const url = page.locator('[data-path="url"]');
  await url.getByRole("textbox", { name: "URL" }).fill("http://api.example.com/orders");
  await expect(url.getByText("Not encrypted; use https://")).toBeVisible();
  // The address is valid: the warning is about encryption, not a problem of the flow.
  await expect(url.locator(".field-error")).toHaveCount(0);
  await shot(page, "editor-http-warning");
  await url.getByRole("textbox", { name: "URL" }).fill("https://api.example.com/orders");
  await expect(url.getByText("Not encrypted; use https://")).toHaveCount(0);
});
