/** Helpers for ingress tests: the real Gate HTTP server (without the UI) on a temp data folder. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import { eq } from "drizzle-orm";
import { events } from "../../db/schema";
import type { Services } from "../../services";
import { startServer, type RunningServer } from "../server";

export interface TestGate extends RunningServer {
  /** Create and activate a flow; returns its id. */
  flow(doc: Record<string, unknown>): string;
  hook(path: string, init?: RequestInit): Promise<Response>;
  eventsOf(flowId: string): (typeof events.$inferSelect)[];
  waitFor<T>(probe: () => T | undefined, timeoutMs?: number): Promise<T>;
}

export async function startGate(t: TestContext, options: { workers?: boolean } = {}): Promise<TestGate> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-hooks-"));
  const server = await startServer({ host: "127.0.0.1", port: 0, dataDir, dev: false, ui: false, services: { webhooks: { workers: options.workers ?? true } } });
  t.after(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    ...server,
    flow: (doc) => createActive(server.services, doc),
    hook: (p, init) => fetch(`${server.url}/hooks/${p}`, { method: "POST", ...init }),
    eventsOf: (flowId) => server.services.gdb.db.select().from(events).where(eq(events.flowId, flowId)).all(),
    waitFor,
  };
}

function createActive(services: Services, doc: Record<string, unknown>): string {
  const result = services.flows.importFlow({ schemaVersion: 1, ...doc }, { activate: true });
  if (!result.ok) throw new Error(`test flow is invalid: ${result.error.message}`);
  return result.flow.id;
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A webhook flow: trigger (with `trigger` config) → optional extra nodes → map that tags items. */
export function hookFlow(name: string, trigger: Record<string, unknown>, between: Record<string, unknown>[] = [], tail: Record<string, unknown>[] = []) {
  const nodes = [{ id: "in", type: "trigger.webhook", config: trigger }, ...between, { id: "map", type: "map.fields", config: { fields: [], keepInput: true } }, ...tail];
  const edges = nodes.slice(1).map((n, i) => ({ from: (nodes[i] as { id: string }).id, to: (n as { id: string }).id }));
  return { name, nodes, edges };
}
