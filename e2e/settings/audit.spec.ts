import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../accounts";
import { mutate, shot } from "../helpers";

test("the audit log shows sign-ins newest first, raises repeated failures in a banner, filters and pages", async ({ page, request, baseURL }) => {
  // Five wrong passwords from this machine within minutes: the audit log raises one suspicious entry.
  for (let i = 0; i < 5; i++) {
    const res = await request.post("/api/auth/sign-in/email", { data: { email: "mallory@e2e.test", password: `guess number ${i}` }, headers: { origin: baseURL! } });
    expect(res.status()).toBe(401);
  }
  // Enough entries for a second page (25 a page): rotations are audited like any change.
  await mutate(request, "credentials.set", { name: "audit-paging", kind: "bearer", data: { token: "paging-token-0000" } });
  for (let i = 1; i <= 26; i++) await mutate(request, "credentials.set", { name: "audit-paging", kind: "bearer", data: { token: `paging-token-${String(i).padStart(4, "0")}` } });

  await page.goto("/settings/audit");
  const banner = page.locator(".suspicious-banner");
  await expect(banner).toContainText("Suspicious activity in the last 24 hours");
  await expect(banner).toContainText("5 failed sign-ins from 127.0.0.1 in 10 minutes");

  const rows = page.locator(".audit-table tbody tr");
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText("credential.rotate");
  await page.getByRole("button", { name: "Older →" }).click();
  await expect(page.getByText("Page 2")).toBeVisible();
  await expect(page.getByRole("button", { name: "← Newer" })).toBeEnabled();
  await page.getByRole("button", { name: "← Newer" }).click();
  await expect(page.getByText("Page 1")).toBeVisible();

  await page.getByLabel("Action").fill("auth.signIn");
  await page.getByLabel("Outcome").selectOption("ok");
  // Until the filtered page arrives the table still shows the rotations: wait for them to go.
  await expect(rows.filter({ hasNotText: "auth.signIn" })).toHaveCount(0);
  await expect(rows.locator(".status").filter({ hasNotText: /^ok$/ })).toHaveCount(0);
  await expect(rows.first()).toContainText(E2E_ADMIN.email);

  await page.getByLabel("Outcome").selectOption("failed");
  await expect(rows.first()).toContainText("mallory@e2e.test");
  await expect(rows.first().locator(".status")).toHaveText("failed");
  await shot(page, "audit-filtered");

  await banner.getByRole("button", { name: "Show only these" }).click();
  await expect(page.getByLabel("Outcome")).toHaveValue("suspicious");
  await expect(rows.first()).toHaveClass(/row-suspicious/);
  await expect(rows.first()).toContainText("5 failed sign-ins from 127.0.0.1 in 10 minutes");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await shot(page, "audit");
});
