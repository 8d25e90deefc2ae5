import { expect, test } from "@playwright/test";
import { E2E_ADMIN, E2E_PASSWORD } from "../accounts";
import { shot } from "../helpers";

test("an admin creates an editor, changes their role, cannot demote the last admin, and deletes the user", async ({ page }) => {
  await page.goto("/flows");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  await expect(page.getByRole("row", { name: new RegExp(E2E_ADMIN.email) })).toBeVisible();

  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog", { name: "New user" });
  await dialog.getByLabel("Email").fill("erin@e2e.test");
  await dialog.getByLabel("Name").fill("Erin Editor");
  await dialog.getByLabel("Role").selectOption("editor");
  await dialog.getByLabel("Initial password").fill("short");
  await dialog.getByRole("button", { name: "Create user" }).click();
  // The browser's own check stops a password under 10 characters before it is sent.
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Initial password").fill(E2E_PASSWORD);
  await shot(page, "users-create");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status")).toContainText("erin@e2e.test can now sign in");

  const erin = page.getByRole("row", { name: /erin@e2e\.test/ });
  await expect(erin.getByRole("cell", { name: "Erin Editor" })).toBeVisible();
  await expect(erin.getByLabel("Role of erin@e2e.test")).toHaveValue("editor");

  await erin.getByLabel("Role of erin@e2e.test").selectOption("analyst");
  await expect(page.getByRole("status")).toContainText("erin@e2e.test is now an analyst");
  await expect(erin.getByLabel("Role of erin@e2e.test")).toHaveValue("analyst");

  // The only admin demoting themselves: refused by the server, the select goes back.
  const me = page.getByRole("row", { name: new RegExp(E2E_ADMIN.email) });
  await expect(me.getByRole("button", { name: `Delete ${E2E_ADMIN.email}` })).toBeDisabled();
  await me.getByLabel(`Role of ${E2E_ADMIN.email}`).selectOption("editor");
  await expect(page.getByRole("alert").filter({ hasText: "Gate needs at least one admin" })).toBeVisible();
  await expect(me.getByLabel(`Role of ${E2E_ADMIN.email}`)).toHaveValue("admin");
  await shot(page, "users");

  await erin.getByRole("button", { name: "Delete erin@e2e.test" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete erin@e2e.test?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Delete user" }).click();
  await expect(page.getByRole("status")).toContainText("erin@e2e.test was deleted");
  await expect(erin).toHaveCount(0);
});
