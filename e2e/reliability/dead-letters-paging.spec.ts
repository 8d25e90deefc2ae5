import { expect, test, type APIRequestContext } from "@playwright/test";
import { importFlow, mutate, shot } from "../helpers";

/** More than the page's 100: the list must offer the older ones. */
const EVENTS = 105;

async function openLetters(request: APIRequestContext, flowId: string): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ flowId, status: "open", limit: 200 }));
  const res = await request.get(`/api/trpc/deadLetters.list?input=${input}`);
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: { items: unknown[] } } }).result.data.items.length;
}

test("more dead letters than one page: the newest 100 first, then the older ones on request", async ({ page, request }) => {
  // Seed: a flow whose every event fails at once (no retries), and 105 events through its webhook.
  const flowId = await importFlow(request, "e2e/fixtures/failing-validation.json", "Failing validation");
  await mutate(request, "flows.setActive", { id: flowId, active: true });
  for (let start = 0; start < EVENTS; start += 15) {
    const batch = Array.from({ length: Math.min(15, EVENTS - start) }, (_, i) => request.post("/hooks/e2e/paging", { data: { orderId: start + i } }));
    for (const res of await Promise.all(batch)) expect(res.status()).toBe(202);
  }
  await expect.poll(() => openLetters(request, flowId), { timeout: 25_000 }).toBe(EVENTS);

  await page.goto(`/dead-letters?flow=${flowId}`);
  await expect(page.getByRole("heading", { name: "Dead letters", level: 1 })).toBeVisible();
  const rows = page.locator(".dead-letter-table tbody tr");
  await expect(rows).toHaveCount(100);
  await expect(rows.first()).toContainText("VALIDATION_FAILED");
  await expect(page.getByText("Showing the newest 100 open dead letters; older ones exist.")).toBeVisible();
  const older = page.getByRole("button", { name: "Show older" });
  await older.scrollIntoViewIfNeeded();
  await shot(page, "dead-letters-more");

  await older.click();
  await expect(rows).toHaveCount(EVENTS);
  const allShown = page.getByText(`Showing all ${EVENTS} open dead letters.`);
  await expect(allShown).toBeVisible();
  await expect(older).toHaveCount(0);
  // Each letter once: the second page continues where the first ended.
  const links = await rows.getByRole("link", { name: "Failing validation" }).evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  expect(new Set(links).size).toBe(EVENTS);
  await allShown.scrollIntoViewIfNeeded();
  await shot(page, "dead-letters-all");

  // Another filter starts from the first page again.
  await page.getByLabel("Status", { exact: true }).selectOption("discarded");
  await expect(page.getByRole("heading", { name: "No discarded dead letters" })).toBeVisible();
  await page.getByLabel("Status", { exact: true }).selectOption("open");
  await expect(rows).toHaveCount(100);
  await expect(page.getByRole("button", { name: "Show older" })).toBeVisible();
});
