import { expect, test } from "@playwright/test";
import { importFlow, mutate, shot } from "../helpers";

test("an in-app alert rule opens an incident after repeated failures, and it can be acknowledged", async ({ page, request }) => {
  const flowId = await importFlow(request, "e2e/fixtures/failing-alerts.json", "Failing alerts");
  await mutate(request, "flows.setActive", { id: flowId, active: true });

  await page.goto("/flows");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Open incidents" })).toContainText("Nothing is wrong right now.");

  await page.getByRole("button", { name: "New channel" }).click();
  const channel = page.getByRole("dialog", { name: "New alert channel" });
  await channel.getByLabel("Name").fill("Gate inbox");
  await channel.getByLabel("Kind").selectOption("inapp");
  await channel.getByRole("button", { name: "Create channel" }).click();
  await expect(page.getByRole("region", { name: "Channels" }).getByRole("row").filter({ hasText: "Gate inbox" })).toContainText("inapp");

  await page.getByRole("button", { name: "New rule" }).click();
  const rule = page.getByRole("dialog", { name: "New alert rule" });
  await rule.getByLabel("Name").fill("Deliveries keep failing");
  await rule.getByLabel("When").selectOption({ label: "Consecutive failed runs" });
  await rule.getByLabel("Failed runs in a row").fill("2");
  await rule.getByLabel("Flow").selectOption({ label: "Failing alerts" });
  await rule.getByRole("checkbox", { name: /Gate inbox/ }).check();
  await rule.getByRole("button", { name: "Create rule" }).click();
  const rules = page.getByRole("region", { name: "Rules" });
  await expect(rules.getByRole("row").filter({ hasText: "Deliveries keep failing" })).toContainText("Failed runs in a row: 2");
  await expect(rules.getByRole("row").filter({ hasText: "Deliveries keep failing" })).toContainText("Gate inbox");

  for (const orderId of [1, 2]) expect((await request.post("/hooks/e2e/alerting", { data: { orderId } })).status()).toBe(202);

  const incidents = page.getByRole("region", { name: "Open incidents" });
  await expect(async () => {
    await page.reload();
    await expect(incidents.getByRole("row").filter({ hasText: "Deliveries keep failing" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const incident = incidents.getByRole("row").filter({ hasText: "Deliveries keep failing" });
  await expect(incident).toContainText("Failing alerts");
  await incident.getByRole("button", { name: "Acknowledge" }).click();
  await expect(incident).toContainText("acknowledged by admin@e2e.test");
  await shot(page, "alerts-page");
});
