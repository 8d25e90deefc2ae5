import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, SIGNED_OUT } from "../accounts";
import { shot, signInWithForm } from "../helpers";

test("an analyst created on the users page is not offered the admin pages, and is told why on a direct visit", async ({ page, browser }) => {
  await page.goto("/settings/users");
  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog", { name: "New user" });
  await dialog.getByLabel("Email").fill("ann@e2e.test");
  await dialog.getByLabel("Role").selectOption("analyst");
  await dialog.getByLabel("Initial password").fill(E2E_PASSWORD);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("row", { name: /ann@e2e\.test/ })).toBeVisible();

  const context = await browser.newContext({ storageState: SIGNED_OUT });
  const analyst = await context.newPage();
  await analyst.goto("/login");
  await signInWithForm(analyst, "ann@e2e.test", E2E_PASSWORD);
  await expect(analyst).toHaveURL(/\/flows$/);
  await expect(analyst.getByRole("banner").getByLabel("Role: analyst")).toBeVisible();
  await expect(analyst.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Flows", "Files", "Alerts"]);
  await expect(analyst.getByRole("button", { name: "New flow" }).first()).toBeDisabled();
  await expect(analyst.getByText("You are an analyst: creating, changing and switching flows needs the editor or admin role.")).toBeVisible();
  await shot(analyst, "roles-analyst-flows");

  await analyst.goto("/settings/users");
  await expect(analyst.getByRole("alert").filter({ hasText: "Users needs the admin role (you are analyst)" })).toBeVisible();
  await shot(analyst, "roles-analyst-users");
  await analyst.goto("/settings/credentials");
  await expect(analyst.getByRole("alert").filter({ hasText: "Credentials needs the editor role (you are analyst)" })).toBeVisible();
  await analyst.goto("/settings/audit");
  await expect(analyst.getByRole("alert").filter({ hasText: "needs the admin role (you are analyst)" })).toBeVisible();

  // The server decides, whatever the page shows.
  const refused = await analyst.request.get("/api/trpc/users.list");
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain("users.list needs the admin role (you are analyst)");
  await context.close();
});
