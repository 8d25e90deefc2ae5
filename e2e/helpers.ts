import { readFileSync } from "node:fs";
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

export const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png` });

/** Store a flow through the same API the UI uses (setup only; the specs then drive the UI). */
export async function importFlow(request: APIRequestContext, file: string, name: string): Promise<string> {
  const doc = { ...(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>), name };
  const res = await request.post("/api/trpc/flows.import", { data: { doc } });
  expect(res.ok(), await res.text()).toBe(true);
  const body = (await res.json()) as { result: { data: { id: string } } };
  return body.result.data.id;
}

export const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

export function handle(page: Page, nodeId: string, port: string, kind: "source" | "target"): Locator {
  return page.locator(`.react-flow__handle.${kind}[data-nodeid="${nodeId}"][data-handleid="${port}"]`);
}

/** Draw an edge with the mouse, as a person does: press on a port, move, release on another. */
export async function connect(page: Page, from: string, to: string, fromPort = "main", toPort = "main") {
  const a = await handle(page, from, fromPort, "source").boundingBox();
  const b = await handle(page, to, toPort, "target").boundingBox();
  if (!a || !b) throw new Error(`ports not visible: ${from}.${fromPort} → ${to}.${toPort}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Drag a node type from the palette and drop it on the canvas at (x, y) relative to the canvas. */
export async function dropFromPalette(page: Page, type: string, x: number, y: number) {
  await page.locator(`.palette-item[data-type="${type}"]`).dragTo(page.locator(".react-flow__pane"), { targetPosition: { x, y } });
}

/** Type into a monaco field, replacing its text. */
export async function typeInCode(page: Page, field: Locator, text: string) {
  await field.locator(".monaco-editor").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

/** Call a tRPC mutation as the signed-in admin (setup only; the specs then drive the UI). */
export async function mutate(request: APIRequestContext, procedure: string, input: unknown): Promise<unknown> {
  const res = await request.post(`/api/trpc/${procedure}`, { data: input });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}

/** Sign in through the sign-in page, as a person does. */
export async function signInWithForm(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Drag one element onto another with the mouse (HTML5 drag and drop), as a person does. */
export async function dragWithMouse(page: Page, from: Locator, to: Locator) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error("drag source or target not visible");
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 20, a.y + a.height / 2 + 10, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

/** Paste a sample payload on the trigger and run the flow from the inspector, as a person does. */
export async function runWithSample(page: Page, triggerId: string, sample: unknown) {
  await node(page, triggerId).click();
  await typeInCode(page, page.locator('section[aria-label="Sample payload"]'), JSON.stringify(sample));
  await page.getByRole("button", { name: "Run with this payload" }).click();
  await expect(page.locator(".notice").filter({ hasText: "Test run" })).toBeVisible();
}
