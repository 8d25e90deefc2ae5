import { expect, test } from "@playwright/test";
import { mutate, shot } from "../helpers";

test("an admin tests a credential's connection and reads the outcome with a hint", async ({ page, request }) => {
  // A closed local port (not the one the dead-letter specs use, whose circuit breaker may be open).
  await mutate(request, "credentials.set", { name: "local-api", kind: "bearer", data: { token: "tok_test_9d8c7b6a5f4e", testUrl: "http://127.0.0.1:1/me" } });

  await page.goto("/settings/credentials");
  const row = page.getByRole("row", { name: /^local-api/ });
  await row.getByRole("button", { name: "Test connection local-api" }).click();
  const result = page.getByRole("row", { name: "Connection test of local-api" });
  await expect(result.getByRole("status")).toContainText("✗ No connection");
  await expect(result).toContainText("Hint: nothing answered: check the host, port and any firewall");
  await expect(result).not.toContainText("tok_test_9d8c7b6a5f4e");
  await shot(page, "credential-test-connection");
});
