/**
 * WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the commit
 * that crosses 1,000 WAL pages, on whichever thread commits: for Gate that is the event loop, and a
 * webhook burst paid for copying the WAL back into the database file between requests (about a
 * quarter of the write time under load). Here the main connection leaves checkpoints to a worker
 * thread with a connection of its own, which runs a PASSIVE checkpoint (it never waits for, nor
 * blocks, the writer) every `intervalMs`. Once a checkpoint has copied everything, the next commit
 * starts the WAL file over from its beginning, so the file stays bounded.
 *
 * When the thread fails, the main connection goes back to automatic checkpoints: the WAL must
 * never grow without bound because a helper died.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { GateDb } from "./client";

const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

// Plain CommonJS evaluated in the worker: a TypeScript file would need the tsx loader registered in
// the thread as well, for twelve lines.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 1000");
const checkpoint = () => db.pragma("wal_checkpoint(PASSIVE)");
const timer = setInterval(() => {
  try { checkpoint(); } catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  try { checkpoint(); } finally { db.close(); parentPort.close(); }
});
`;

export interface Checkpointer {
  /** Checkpoint once more and close the thread's connection (before the main one closes). */
  stop(): Promise<void>;
}

export function startCheckpointer(gdb: GateDb, options: { intervalMs?: number; onError?: (message: string) => void } = {}): Checkpointer | undefined {
  if (gdb.path === ":memory:") return undefined;
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: gdb.path, intervalMs: options.intervalMs ?? 250 } });
  worker.unref();
  gdb.sqlite.pragma("wal_autocheckpoint = 0");
  let stopping = false;
  const fallBack = (message: string) => {
    if (gdb.sqlite.open) gdb.sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    options.onError?.(message);
  };
  worker.on("message", (message: { error?: string }) => message.error && options.onError?.(`WAL checkpoint failed: ${message.error}`));
  worker.on("error", (error) => fallBack(`the WAL checkpoint thread failed (${error.message}); checkpoints run on the main thread again`));
  worker.on("exit", (code) => {
    if (!stopping) fallBack(`the WAL checkpoint thread stopped (exit ${code}); checkpoints run on the main thread again`);
  });
  return {
    stop() {
      if (stopping) return Promise.resolve();
      stopping = true;
      // Kept alive until it has closed its connection (it does not hold a process open otherwise).
      worker.ref();
      return new Promise<void>((resolve) => {
        worker.once("exit", () => {
          if (gdb.sqlite.open) gdb.sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
          resolve();
        });
        worker.postMessage("stop");
      });
    },
  };
}
