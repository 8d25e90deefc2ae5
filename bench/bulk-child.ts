/**
 * Gate's side of the bulk benchmark, alone in its process so that its peak RSS is its own: a CSV
 * from the files folder → transform.validate → db.write into a SQLite file through a `sqlite`
 * credential, as a live run through the interpreter. Prints one JSON line.
 *
 * usage: bulk-child.ts <files dir> <csv name> <db name> <rows> [<read batch size>]
 */
import { confinedFiles, memoryState, offlineHost } from "../nodes/sdk";
import { compileFlow } from "../server/engine/flow/compile";
import { runFlow } from "../server/engine/interpreter";
import { loadDefaultRegistry } from "../server/engine/registry";
import { BULK_SCHEMA } from "./bulk-data";

const [filesDir, csvName, dbName, rowsArg, batchArg] = process.argv.slice(2);
if (!filesDir || !csvName || !dbName || !rowsArg) throw new Error("usage: bulk-child.ts <files dir> <csv name> <db name> <rows>");
const rows = Number(rowsArg);
// file.read passes this many rows per batch, and db.write commits one transaction per batch.
const batchSize = batchArg ? Number(batchArg) : undefined;

const registry = await loadDefaultRegistry();
const flow = compileFlow(
  {
    schemaVersion: 1,
    name: "bulk",
    nodes: [
      { id: "in", type: "trigger.manual", config: {} },
      { id: "read", type: "file.read", config: { path: csvName, format: "csv", ...(batchSize ? { batchSize } : {}) } },
      { id: "check", type: "transform.validate", config: { schema: BULK_SCHEMA } },
      { id: "write", type: "db.write", config: { credential: "bulk-db", table: "t", output: "summary" } },
    ],
    edges: [
      { from: "in", to: "read" },
      { from: "read", to: "check" },
      { from: "check", to: "write" },
    ],
    settings: { timeoutMs: 3_600_000 },
  },
  registry,
);

// The credential as the vault hands it to nodes; the vault itself is not what is measured here.
const credentials = { resolve: () => Promise.resolve({ id: "bulk-db", name: "bulk-db", kind: "sqlite", data: { path: dbName } }) };
const host = { ...offlineHost(), files: confinedFiles(filesDir), state: memoryState() };

const started = performance.now();
const record = await runFlow(flow, { input: [{}], mode: "live", credentials, host });
const seconds = (performance.now() - started) / 1000;
if (record.status !== "success") throw new Error(`the bulk run failed: ${JSON.stringify(record.error)}`);
const ms = (id: string) => record.nodes[id]!.durationMs;
process.stdout.write(
  `${JSON.stringify({
    rows,
    read: record.nodes.read!.itemsOut,
    valid: record.nodes.check!.outputCounts.main ?? 0,
    written: record.nodes.write!.itemsIn,
    seconds,
    rowsPerSec: rows / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    breakdownMs: { parse: ms("read"), validate: ms("check"), write: ms("write") },
  })}\n`,
);
