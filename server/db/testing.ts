/** Helpers for the store's tests: a real database file in a temp dir, and small documents. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import { FlowDoc } from "../engine/flow/schema";
import { openDatabase, type GateDb } from "./client";

/** A fresh data dir with an open database, closed and removed when the test ends. */
export function tempDb(t: TestContext): GateDb & { dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-db-"));
  const gdb = openDatabase(dir);
  t.after(() => {
    gdb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return Object.assign(gdb, { dir });
}

/** A valid flow document; `webhook` adds a webhook trigger on that path. */
export function flowDoc(name: string, options: { webhook?: string; method?: string; retention?: { maxAgeDays?: number; maxCount?: number } } = {}): FlowDoc {
  const trigger = options.webhook
    ? { id: "in", type: "trigger.webhook", config: { path: options.webhook, ...(options.method && { method: options.method }) } }
    : { id: "in", type: "trigger.manual", config: {} };
  return FlowDoc.parse({
    schemaVersion: 1,
    name,
    nodes: [trigger, { id: "out", type: "map.fields", config: { fields: [] } }],
    edges: [{ from: "in", to: "out" }],
    settings: options.retention ? { retention: options.retention } : {},
  });
}

export function fileSize(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size : 0;
}
