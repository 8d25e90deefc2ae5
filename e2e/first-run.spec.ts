import { expect, test } from "@playwright/test";
import { E2E_PASSWORD } from "./accounts";
import { shot } from "./helpers";

// Runs against the second server of playwright.config.ts, started with an empty data folder: no user exists.
const FIRST_ADMIN = { email: "owner@first-run.test", name: "Olga Owner" };

test("on a fresh Gate every page leads to setup, which creates the first admin and signs them in", async ({ page, request }) => {
  const status = await request.get("/api/trpc/auth.status");
  expect(((await status.json()) as { result: { data: { setupNeeded: boolean } } }).result.data.setupNeeded).toBe(true);

  await page.goto("/flows");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Gate" })).toBeVisible();

  await page.getByLabel("Email").fill(FIRST_ADMIN.email);
  await page.getByLabel("Name").fill(FIRST_ADMIN.name);
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORD);
  await page.getByLabel("Repeat the password").fill("something else");
  await expect(page.getByText("The passwords differ.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create admin and sign in" })).toBeDisabled();
  await page.getByLabel("Repeat the password").fill(E2E_PASSWORD);
  await shot(page, "setup");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();

  await expect(page).toHaveURL(/\/flows$/);
  await expect(page.getByRole("banner").getByText(FIRST_ADMIN.email)).toBeVisible();
  await expect(page.getByRole("banner").getByLabel("Role: admin")).toBeVisible();

  // Setup happens once: the page now sends people on, and the API refuses a second admin this way.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/flows$/);
  const again = await request.post("/api/trpc/auth.setup", { data: { email: "intruder@first-run.test", password: E2E_PASSWORD } });
  expect(again.status()).toBe(403);
  expect(await again.text()).toContain("already set up");
});
