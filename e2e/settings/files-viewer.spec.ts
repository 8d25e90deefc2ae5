import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, SIGNED_OUT } from "../accounts";
import { mutate, shot, signInWithForm } from "../helpers";

// Lives beside the other role specs, after audit.spec.ts: that spec expects the admin's sign-in to be
// the newest successful one, and this one signs a viewer in.
test("a viewer sees the files folder but is told that uploading and deleting need the editor role", async ({ request, browser }) => {
  // Setup through the API: a file in the folder and a viewer account.
  const prices = "sku,price\nA-1,9.50\n";
  await mutate(request, "files.upload", { path: "shared/prices.csv", contentBase64: Buffer.from(prices).toString("base64") });
  await mutate(request, "users.create", { email: "vera@e2e.test", password: E2E_PASSWORD, role: "viewer" });

  const context = await browser.newContext({ storageState: SIGNED_OUT });
  const page = await context.newPage();
  await page.goto("/login");
  await signInWithForm(page, "vera@e2e.test", E2E_PASSWORD);
  await expect(page).toHaveURL(/\/flows$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Files" }).click();
  await expect(page.getByRole("heading", { name: "Files", level: 1 })).toBeVisible();
  await expect(page.getByText("Uploading and deleting files needs the editor role (you are viewer); you can see what is in the folder.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Upload files" })).toHaveCount(0);
  const row = page.getByRole("row", { name: /shared\/prices\.csv/ });
  await expect(row.getByRole("cell").nth(1)).toHaveText(`${Buffer.byteLength(prices)} B`);
  await expect(row.getByRole("button", { name: "Delete shared/prices.csv" })).toBeDisabled();
  await shot(page, "files-viewer");
  await context.close();
});
