import { expect, test } from "@playwright/test";
import { shot } from "../helpers";

const TOKEN = "tok_live_4f9a2c7e81d3b605";
const NEW_TOKEN = "tok_live_0c1d2e3f4a5b9d7x";

test("an admin stores a bearer token: the list shows its fingerprint and last 4, never the value; rotating keeps the old one valid for a while", async ({ page }) => {
  await page.goto("/flows");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credentials" }).click();
  await expect(page.getByRole("heading", { name: "Credentials" })).toBeVisible();

  await page.getByRole("button", { name: "New credential" }).click();
  const dialog = page.getByRole("dialog", { name: "New credential" });
  await dialog.getByLabel("Name").fill("crm-token");
  await dialog.getByLabel("Kind").selectOption({ label: "Bearer token" });
  const token = dialog.getByLabel(/^Token/);
  await expect(token).toHaveAttribute("type", "password");
  await token.fill(TOKEN);
  await dialog.getByLabel("Rotation reminder (days)").fill("90");
  await shot(page, "credentials-create");
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(page.getByRole("status")).toContainText("Credential “crm-token” created.");

  const row = page.getByRole("row", { name: /crm-token/ });
  await expect(row.getByRole("cell", { name: "Bearer token" })).toBeVisible();
  await expect(row.getByText(/^[0-9a-f]{12}$/)).toBeVisible();
  await expect(row.getByText("…b605")).toBeVisible();
  await expect(row.getByText("never")).toBeVisible();
  expect(await page.content()).not.toContain(TOKEN);

  await row.getByRole("button", { name: "Rotate crm-token" }).click();
  const rotate = page.getByRole("dialog", { name: "Rotate “crm-token”" });
  await expect(rotate.getByLabel(/^Token/)).toHaveValue("");
  await rotate.getByLabel(/^Token/).fill(NEW_TOKEN);
  await rotate.getByRole("button", { name: "Rotate" }).click();
  await expect(page.getByRole("status")).toContainText("Credential “crm-token” rotated.");
  await expect(row.getByText(/Previous secret valid until/)).toBeVisible();
  await expect(row.getByText("…9d7x")).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain(TOKEN);
  expect(html).not.toContain(NEW_TOKEN);
  await shot(page, "credentials-list");
});

test("a webhook signing secret is generated in the browser, shown once with a copy button, and stored", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/settings/credentials");
  await page.getByRole("button", { name: "New credential" }).click();
  const dialog = page.getByRole("dialog", { name: "New credential" });
  await dialog.getByLabel("Name").fill("partner-hooks");
  await dialog.getByLabel("Kind").selectOption({ label: "Webhook signing secret" });
  await dialog.getByRole("button", { name: "Generate a secret" }).click();
  const generated = dialog.getByTestId("generated-secret");
  await expect(generated).toHaveText(/^whsec_[A-Za-z0-9+/]{32}$/);
  const secret = (await generated.textContent())!;
  await dialog.getByRole("button", { name: "Copy" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await shot(page, "credentials-webhook-secret");
  await dialog.getByRole("button", { name: "Save credential" }).click();

  const row = page.getByRole("row", { name: /partner-hooks/ });
  await expect(row.getByText(`…${secret.slice(-4)}`)).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  await row.getByRole("button", { name: "Delete partner-hooks" }).click();
  await page.getByRole("dialog", { name: "Delete “partner-hooks”?" }).getByRole("button", { name: "Delete credential" }).click();
  await expect(page.getByRole("status")).toContainText("Credential “partner-hooks” deleted.");
  await expect(row).toHaveCount(0);
});

test("the OAuth callback's answer is shown as a banner", async ({ page }) => {
  await page.goto("/settings/credentials?connected=crm-oauth");
  await expect(page.getByRole("status")).toContainText("“crm-oauth” is connected");
  await shot(page, "credentials-connected");
  await page.getByRole("button", { name: "Dismiss" }).click();
  await expect(page).toHaveURL(/\/settings\/credentials$/);

  await page.goto("/settings/credentials?oauthError=the%20provider%20refused%3A%20access_denied");
  await expect(page.getByRole("alert").filter({ hasText: "Connect failed: the provider refused: access_denied" })).toBeVisible();
});

test("Connect sends the browser to the provider with PKCE, and the provider's refusal comes back as a banner", async ({ page, baseURL }) => {
  await page.goto("/settings/credentials");
  await page.getByRole("button", { name: "New credential" }).click();
  const dialog = page.getByRole("dialog", { name: "New credential" });
  await dialog.getByLabel("Name").fill("crm-oauth");
  await dialog.getByLabel("Kind").selectOption({ label: "OAuth 2.0 authorization code (Connect)" });
  await dialog.getByLabel(/^Authorize URL/).fill("https://provider.e2e.test/authorize");
  await dialog.getByLabel(/^Token URL/).fill("https://provider.e2e.test/token");
  await dialog.getByLabel(/^Client ID/).fill("gate-e2e");
  await dialog.getByLabel(/^Client secret/).fill("provider-client-secret-1");
  await expect(dialog.getByLabel(/^Access token/)).toHaveCount(0);
  await shot(page, "credentials-oauth-form");
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(page.getByRole("status")).toContainText("Credential “crm-oauth” created.");

  // The provider is outside the test machine: stand in for it and answer as a person refusing would.
  let authorize: URL | undefined;
  await page.route("https://provider.e2e.test/**", async (route) => {
    authorize = new URL(route.request().url());
    const back = `${baseURL}/api/oauth/callback?error=access_denied&state=${authorize.searchParams.get("state")}`;
    await route.fulfill({ status: 302, headers: { location: back } });
  });
  await page.getByRole("row", { name: /crm-oauth/ }).getByRole("button", { name: "Connect crm-oauth" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Connect failed" })).toBeVisible();
  expect(authorize?.pathname).toBe("/authorize");
  expect(authorize?.searchParams.get("client_id")).toBe("gate-e2e");
  expect(authorize?.searchParams.get("redirect_uri")).toBe(`${baseURL}/api/oauth/callback`);
  expect(authorize?.searchParams.get("code_challenge_method")).toBe("S256");
  await shot(page, "credentials-connect-refused");
});
