import { expect, test } from "@playwright/test";
import { importFlow, mutate, node, shot, typeInCode } from "../helpers";

test("a failed webhook event becomes a dead letter that can be replayed, edited and discarded", async ({ page, request }) => {
  const flowId = await importFlow(request, "e2e/fixtures/failing-delivery.json", "Failing delivery");
  await mutate(request, "flows.setActive", { id: flowId, active: true });
  const hook = await request.post("/hooks/e2e/orders", { data: { orderId: 17, amount: "12.50" } });
  expect(hook.status()).toBe(202);
  // The run retries the request twice against a closed port, then the event is a dead letter.
  await expect
    .poll(async () => ((await mutateQuery(request, flowId)) as { items: unknown[] }).items.length, { timeout: 20_000 })
    .toBe(1);

  await page.goto("/flows");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dead letters" }).click();
  await expect(page.getByRole("heading", { name: "Dead letters", level: 1 })).toBeVisible();
  await page.getByLabel("Flow", { exact: true }).selectOption({ label: "Failing delivery" });
  const row = page.getByRole("row").filter({ hasText: "Failing delivery" });
  await expect(row.getByRole("cell").nth(1)).toHaveText("send");
  await expect(row).toContainText("2 tries");
  await expect(row.locator("td.cell-clip strong")).toHaveText(/^[A-Z_]+$/);

  // Replay all while the port is still closed: the progress counts the replay that failed again.
  await page.getByRole("button", { name: "Replay all" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 of 1" })).toContainText("1 failed · done", { timeout: 20_000 });
  await shot(page, "dead-letters-list");

  await row.getByRole("link", { name: "Failing delivery" }).click();
  await expect(page.getByRole("heading", { name: /Dead letter/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Error" })).toContainText("send");
  const payload = page.getByRole("region", { name: "Payload" });
  await expect(payload.locator(".view-lines")).toContainText('"orderId": 17');
  await typeInCode(page, payload, '{ "orderId": 17, "amount": "12.50", "currency": "EUR" }');
  await payload.getByRole("button", { name: "Save payload" }).click();
  await expect(page.getByText("Payload saved: a replay from the trigger sends it.")).toBeVisible();
  await expect(payload.getByText("edited")).toBeVisible();
  await expect(payload.locator(".view-lines")).toContainText('"currency": "EUR"');
  await shot(page, "dead-letter-detail");

  // The execution shows the request's attempts on the failed node.
  await page.getByRole("link", { name: "execution", exact: true }).click();
  await node(page, "send").click();
  await expect(page.locator(".node-data").getByText("failed after 2 attempts")).toBeVisible();
  await shot(page, "execution-retries");
  await page.goBack();

  await page.getByRole("button", { name: "Discard" }).click();
  await page.getByRole("dialog", { name: "Discard this dead letter?" }).getByRole("button", { name: "Discard" }).click();
  await expect(page.getByRole("heading", { name: "No open dead letters" })).toBeVisible();
  await page.getByLabel("Status", { exact: true }).selectOption("discarded");
  await expect(page.getByRole("row").filter({ hasText: "Failing delivery" })).toContainText("discarded");
});

async function mutateQuery(request: Parameters<typeof mutate>[0], flowId: string): Promise<unknown> {
  const input = encodeURIComponent(JSON.stringify({ flowId, status: "open" }));
  const res = await request.get(`/api/trpc/deadLetters.list?input=${input}`);
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}
