import { expect, test } from "@playwright/test";
import { dropFromPalette, mutate, node, shot, typeInCode } from "../helpers";

test("the inspector offers stored credentials of the node's kinds, and edits code in a JavaScript editor", async ({ page, request }) => {
  await mutate(request, "credentials.set", { name: "acme-signing", kind: "webhookSecret", data: { secret: "whsec_c2lnbmluZy1zZWNyZXQtZm9yLXRlc3Rz" } });
  await mutate(request, "credentials.set", { name: "acme-api-token", kind: "bearer", data: { token: "not-a-signing-secret-1234" } });

  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByRole("dialog").getByLabel("Name").fill("Partner events");
  await page.getByRole("dialog").getByRole("button", { name: "Create" }).click();
  await expect(page.getByText("An empty canvas")).toBeVisible();

  await dropFromPalette(page, "auth.verifySignature", 160, 120);
  await expect(node(page, "verifySignature")).toBeVisible();
  const field = page.locator('[data-path="credential"]');
  const select = field.getByRole("combobox");
  // Only credentials of the kinds the node accepts (webhookSecret), never the bearer token.
  await expect(select.locator("option")).toHaveText(["Choose a credential…", "acme-signing (webhookSecret)"]);
  await select.selectOption("acme-signing");
  await expect(field.getByText("Kinds this node uses: webhookSecret.")).toBeVisible();
  await expect(field.getByRole("link", { name: "Manage" })).toHaveAttribute("href", "/settings/credentials");
  await shot(page, "editor-credential-field");

  await dropFromPalette(page, "transform.code", 460, 120);
  await expect(node(page, "code")).toBeVisible();
  const code = page.locator('[data-path="code"]');
  await expect(code.locator('.code-field[data-language="javascript"] .monaco-editor')).toBeVisible();
  await typeInCode(page, code, "return items.map((item) => ({ ...item, seen: true }));");
  await expect(code.locator(".view-lines")).toContainText("return items.map");
  // Highlighted as JavaScript: `return` is a keyword token, in the theme's keyword colour.
  await expect(code.locator(".view-line span span", { hasText: /^return$/ })).toHaveCSS("color", "rgb(160, 48, 122)");
  await shot(page, "editor-code-field");
});
