import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { shot } from "./helpers";

test("import a flow JSON file, export it, and get the same document back", async ({ page }) => {
  await page.goto("/flows");
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import JSON" }).first().click();
  await (await chooser).setFiles("examples/order-validation.json");
  const row = page.getByRole("row", { name: /Order validation with fallback/ });
  await expect(row).toBeVisible();

  const download = page.waitForEvent("download");
  await row.getByRole("button", { name: /^Export/ }).click();
  const file = await (await download).path();
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse(readFileSync("examples/order-validation.json", "utf8")));
  await shot(page, "flows-imported");
});

test("a file that is not a valid flow is refused with every problem named", async ({ page }) => {
  await page.goto("/flows");
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import JSON" }).first().click();
  await (await chooser).setFiles({
    name: "broken.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ schemaVersion: 1, name: "Broken", nodes: [{ id: "x", type: "map.field", config: {} }] })),
  });
  const alert = page.getByRole("alert").filter({ hasText: "Could not import" });
  await expect(alert).toContainText("Could not import broken.json");
  await expect(alert).toContainText('nodes[x].type');
  await expect(alert).toContainText('did you mean "map.fields"');
});

test("rename, duplicate and delete a flow from the list", async ({ page }) => {
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByRole("dialog").getByLabel("Name").fill("Draft flow");
  await page.getByRole("dialog").getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]+$/);
  await page.goto("/flows");

  await page.getByRole("button", { name: "Rename Draft flow" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("Renamed flow");
  await page.getByRole("dialog").getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("link", { name: "Renamed flow", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Duplicate Renamed flow" }).click();
  await expect(page.getByRole("link", { name: "Renamed flow (copy)" })).toBeVisible();

  await page.getByRole("button", { name: "Delete Renamed flow (copy)" }).click();
  await expect(page.getByRole("dialog")).toContainText("cannot be undone");
  await shot(page, "flows-delete-confirm");
  await page.getByRole("dialog").getByRole("button", { name: "Delete flow" }).click();
  await expect(page.getByRole("link", { name: "Renamed flow (copy)" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Renamed flow", exact: true })).toBeVisible();
});
