import { expect, test } from "@playwright/test";
import { E2E_ADMIN, SIGNED_OUT } from "../accounts";
import { shot, signInWithForm } from "../helpers";

test.use({ storageState: SIGNED_OUT });

test("a signed-out person is sent to sign in, sees a wrong password refused, signs in and out", async ({ page }) => {
  await page.goto("/flows");
  await expect(page).toHaveURL(/\/login\?next=%2Fflows$/);
  await expect(page.getByRole("heading", { name: "Sign in to Gate" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);

  await signInWithForm(page, E2E_ADMIN.email, "not the password");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await shot(page, "sign-in-error");

  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/flows$/);
  const header = page.getByRole("banner");
  await expect(header.getByText(E2E_ADMIN.email)).toBeVisible();
  await expect(header.getByLabel("Role: admin")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Flows", "Files", "Dead letters", "Alerts", "Credentials", "Users", "Audit log"]);
  await shot(page, "signed-in-header");

  await header.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/flows");
  await expect(page).toHaveURL(/\/login\?next=%2Fflows$/);
});

test("signing in returns to the page the person was going to", async ({ page }) => {
  await page.goto("/settings/audit?outcome=failed");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Faudit%3Foutcome%3Dfailed$/);
  await expect(page.getByText("Sign in to continue where you were going.")).toBeVisible();
  await shot(page, "sign-in");
  await signInWithForm(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/settings\/audit\?outcome=failed$/);
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
});

test("a link to another site in ?next= is not followed after signing in", async ({ page }) => {
  await page.goto("/login?next=//example.com/phish");
  await signInWithForm(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/flows$/);
});
