/**
 * The editor on a large flow: a generated 300-node / 400-edge flow opened in headless Chromium.
 *
 * - time to interactive: navigation start → the canvas shows every node and a click on one opens
 *   its inspector (median of 3 loads);
 * - drag frame time: one node dragged with the mouse; frame times from requestAnimationFrame
 *   timestamps during the drag (mean and p95).
 *
 * Chromium runs with the e2e flags (playwright.config.ts) plus --disable-frame-rate-limit and
 * --disable-gpu-vsync: otherwise rAF is capped at the display rate and every frame reads 16.7 ms
 * however cheap it was. The server is started as the e2e web server starts it, on its own port and
 * data folder (the UI is built first when it changed).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import type { BenchRow } from "./table";

const PORT = 3931;
const BASE = `http://127.0.0.1:${PORT}`;
const USER = { email: "bench@gate.test", password: "bench editor password" };
const NODES = 300;
const EDGES = 400;
const LOADS = 3;

/** A DAG: a chain through every node plus forward edges, laid out on a grid (positions are saved). */
export function generateFlow(nodes = NODES, edges = EDGES) {
  const ids = Array.from({ length: nodes }, (_, i) => (i === 0 ? "in" : `step${i}`));
  const docNodes = ids.map((id, i) =>
    i === 0
      ? { id, type: "trigger.webhook", config: { path: "bench/editor", method: "POST" } }
      : { id, type: "map.fields", config: { fields: [{ target: "n", expr: `${i}`, type: "integer" }] } },
  );
  const docEdges: { from: string; to: string }[] = [];
  for (let i = 1; i < nodes; i++) docEdges.push({ from: ids[i - 1]!, to: ids[i]! });
  const seen = new Set(docEdges.map((e) => `${e.from}>${e.to}`));
  for (let k = 0; docEdges.length < edges; k++) {
    const from = 1 + ((k * 37) % (nodes - 3));
    const to = Math.min(nodes - 1, from + 2 + ((k * 13) % 20));
    const key = `${ids[from]}>${ids[to]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    docEdges.push({ from: ids[from]!, to: ids[to]! });
  }
  const positions = Object.fromEntries(ids.map((id, i) => [id, [(i % 20) * 280, Math.floor(i / 20) * 140]]));
  return { schemaVersion: 1, name: "Editor bench", nodes: docNodes, edges: docEdges, ui: { positions } };
}

async function startGate(dataDir: string): Promise<ChildProcess> {
  const env = { ...process.env, GATE_LOG_LEVEL: "warn", GATE_KEY_FILE: path.join(dataDir, "master.key") };
  const created = spawnSync("node", ["bin/gate.js", "user", "create", "--email", USER.email, "--admin", "--data", dataDir], { input: USER.password, env, encoding: "utf8" });
  if (created.status !== 0) throw new Error(`could not create the bench user: ${created.stderr}`);
  const server = spawn("node", ["bin/gate.js", "start", "--port", String(PORT), "--data", dataDir], { env, stdio: ["ignore", "inherit", "inherit"] });
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`gate exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  server.kill();
  throw new Error("gate did not start within 5 minutes");
}

/** Navigation start → all nodes drawn and a click on one opens its inspector, in ms. */
async function timeToInteractive(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction((n) => document.querySelectorAll(".react-flow__node").length === n, NODES, { timeout: 60_000, polling: "raf" });
  await page.locator('.react-flow__node[data-id="step1"]').click();
  await page.locator('aside.inspector[aria-label^="Inspector"]').waitFor();
  return page.evaluate(() => performance.now());
}

/** Frame times (ms) from rAF timestamps while one node is dragged across the canvas. */
async function dragFrames(page: Page): Promise<number[]> {
  const box = await page.locator('.react-flow__node[data-id="step1"]').boundingBox();
  if (!box) throw new Error("node step1 is not visible");
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = (t) => {
      window.__frames.push(t);
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const x = box.x + box.width / 2;
  const y = box.y + 12;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 300, y + 200, { steps: 120 });
  await page.mouse.up();
  const stamps = await page.evaluate<number[]>("(window.__recording = false, window.__frames)");
  return stamps.slice(1).map((t, i) => t - stamps[i]!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export async function benchEditor(): Promise<BenchRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-bench-editor-"));
  const server = await startGate(dataDir);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu", "--disable-frame-rate-limit", "--disable-gpu-vsync"],
  });
  try {
    const context = await browser.newContext({ baseURL: BASE, viewport: { width: 1280, height: 800 } });
    const signIn = await context.request.post("/api/auth/sign-in/email", { data: USER, headers: { origin: BASE } });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
    const imported = await context.request.post("/api/trpc/flows.import", { data: { doc: generateFlow() } });
    if (!imported.ok()) throw new Error(`import failed: ${await imported.text()}`);
    const flowId = ((await imported.json()) as { result: { data: { id: string } } }).result.data.id;
    const page = await context.newPage();
    const loads: number[] = [];
    for (let i = 0; i < LOADS; i++) loads.push(await timeToInteractive(page, `/flows/${flowId}`));
    const frames = await dragFrames(page);
    const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
    const suite = "editor";
    return [
      { suite, metric: `time to interactive (${NODES} nodes, ${EDGES} edges; median of ${LOADS})`, gate: median(loads), unit: "ms", better: "lower", target: "< 2000 ms" },
      { suite, metric: `drag frame time, mean (${frames.length} frames)`, gate: mean, unit: "ms", better: "lower", target: "< 16 ms" },
      { suite, metric: "drag frame time, p95", gate: percentile(frames, 0.95), unit: "ms", better: "lower", target: "< 16 ms" },
    ];
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
