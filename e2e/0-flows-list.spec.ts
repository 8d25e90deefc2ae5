import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";

test("the flows page shows an empty state, then a flow imported from the command line", async ({ page, request }) => {
  const health = await request.get("/healthz");
  expect(await health.json()).toEqual({ status: "ok" });

  await page.goto("/");
  await expect(page).toHaveURL(/\/flows$/);
  await expect(page.getByRole("heading", { name: "No flows yet" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/flows-empty.png" });

  execFileSync(process.execPath, ["bin/gate.js", "flows", "import", "examples/crm-contact.json", "--activate", "--data", "test-results/e2e-data"]);
  await page.reload();
  const row = page.getByRole("row", { name: /CRM contact sync/ });
  await expect(row).toBeVisible();
  await expect(row.getByText("active")).toBeVisible();
  await expect(row.getByText("never run")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/flows-list.png" });
});
