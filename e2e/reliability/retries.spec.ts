import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { mutate, node, runWithSample, shot } from "../helpers";

/**
 * A partner API that is briefly unavailable: after `arm()`, its next request gets 503, every
 * other one 200. Runs on 127.0.0.1, which the e2e server allows (GATE_ALLOW_HOSTS).
 */
let partner: http.Server;
let failNext = 0;
const seen: number[] = [];

test.beforeAll(async () => {
  partner = http.createServer((req, res) => {
    req.resume();
    const status = failNext > 0 ? 503 : 200;
    if (failNext > 0) failNext--;
    seen.push(status);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(status === 200 ? { orderId: 7, state: "shipped" } : { error: "busy" }));
  });
  await new Promise<void>((resolve) => partner.listen(0, "127.0.0.1", resolve));
});

test.afterAll(() => new Promise<void>((resolve) => partner.close(() => resolve())));

function arm() {
  failNext = 1;
  seen.length = 0;
}

test("a request that succeeds on its retry shows how many retries it took, in the editor and in the execution", async ({ page, request }) => {
  const { port } = partner.address() as AddressInfo;
  const flow = (await mutate(request, "flows.import", {
    doc: {
      schemaVersion: 1,
      name: "Order status",
      // Quick retries: the partner answers on the second attempt, 50 ms later.
      settings: { retry: { maxAttempts: 3, backoff: "fixed", baseMs: 50 } },
      nodes: [
        { id: "in", type: "trigger.webhook", config: { path: "e2e/order-status", method: "POST" } },
        { id: "status", type: "http.request", config: { method: "GET", url: `http://127.0.0.1:${port}/orders/7/status` } },
      ],
      edges: [{ from: "in", to: "status" }],
    },
  })) as { id: string };

  // A test run from the editor (a GET is sent in test runs): 503, then 200 on the retry.
  arm();
  await page.goto(`/flows/${flow.id}`);
  await runWithSample(page, "in", { orderId: 7 });
  const badge = node(page, "status").getByTestId("run-badge");
  await expect(badge).toHaveClass(/run-success/);
  await expect(badge).toContainText("1 → 1");
  await expect(badge).toContainText("1 retry");
  expect(seen).toEqual([503, 200]);
  await node(page, "status").click();
  await page.getByRole("tab", { name: /Data/ }).click();
  await expect(page.locator(".node-data-summary")).toContainText("success 1 in → 1 out");
  await expect(page.locator(".node-data-summary")).toContainText("1 retry");
  await expect(page.getByRole("region", { name: "Output main" })).toContainText("shipped");
  await shot(page, "retries-editor");

  // A live run through the webhook: recorded with its retry, shown on the execution's canvas.
  arm();
  await mutate(request, "flows.setActive", { id: flow.id, active: true });
  expect((await request.post("/hooks/e2e/order-status", { data: { orderId: 7 } })).status()).toBe(202);
  await page.goto(`/flows/${flow.id}/executions`);
  const row = page.getByRole("row").filter({ hasText: "live" });
  await expect(async () => {
    await page.reload();
    await expect(row.locator(".status")).toHaveText("success", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  expect(seen).toEqual([503, 200]);
  await row.getByRole("link").click();
  await expect(page.locator(".toolbar .status")).toHaveText("success");
  const recorded = node(page, "status").getByTestId("run-badge");
  await expect(recorded).toHaveClass(/run-success/);
  await expect(recorded).toContainText("1 retry");
  await node(page, "status").click();
  await expect(page.locator(".node-data-summary")).toContainText("1 retry");
  // The inspector narrowed the canvas; the node it shows is still wholly in view.
  await expect(async () => {
    const canvas = (await page.locator(".canvas").boundingBox())!;
    const shown = (await node(page, "status").boundingBox())!;
    expect(shown.x).toBeGreaterThanOrEqual(canvas.x);
    expect(shown.x + shown.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  }).toPass({ timeout: 5_000 });
  await shot(page, "retries-execution");
});
