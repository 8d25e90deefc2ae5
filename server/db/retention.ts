/**
 * Retention: old executions are deleted and, unlike n8n's SQLite setup, the file actually shrinks.
 * That takes three things: auto_vacuum=INCREMENTAL (set in client.ts) so freed pages can be given
 * back, `PRAGMA incremental_vacuum` to give them back, and a TRUNCATE checkpoint so the WAL file
 * (which only ever grows to its high-water mark) is emptied too.
 */
import { and, desc, eq, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { writeTransaction, type GateDb } from "./client";
import { pruneDeadLetters } from "../dlq/store";
import { recoverInterrupted } from "./executions";
import { executions, flowVersions, flows } from "./schema";

/** Finite numbers; a maxCount of 0 keeps no finished execution at all. */
export interface RetentionDefaults {
  maxAgeDays: number;
  maxCount: number;
}

export interface PruneOptions {
  /** Used for each flow unless its current document's `settings.retention` says otherwise. */
  defaults: RetentionDefaults;
  now?: number;
  /** Executions deleted per transaction: small enough that other writers wait only briefly. */
  batchSize?: number;
  /** Stops between batches (e.g. on shutdown). */
  signal?: AbortSignal;
}

export interface PruneResult {
  deleted: number;
  /** Free pages returned to the file system. */
  vacuumedPages: number;
}

const DAY_MS = 86_400_000;
/** 2,000 pages of 4 KiB: each vacuum step moves at most ~8 MB before letting others in. */
const VACUUM_STEP_PAGES = 2_000;

/**
 * Delete, per flow, executions older than maxAgeDays and those beyond the newest maxCount; never
 * running ones. Async because it yields to the event loop between batches: a large prune must not
 * stall webhook ingress in the same process.
 */
export async function pruneExecutions(gdb: GateDb, options: PruneOptions): Promise<PruneResult> {
  const now = options.now ?? Date.now();
  const batchSize = options.batchSize ?? 500;
  let deleted = 0;
  for (const policy of flowPolicies(gdb, options.defaults)) {
    const doomed = doomedExecutions(gdb, policy, now);
    if (!doomed) continue;
    for (;;) {
      if (options.signal?.aborted) return { deleted, vacuumedPages: 0 };
      const batch = gdb.db.select({ id: executions.id }).from(executions).where(doomed).limit(batchSize);
      // Executions cascade to their execution_nodes rows, where the bulk of the bytes is.
      const changes = writeTransaction(gdb, () => gdb.db.delete(executions).where(inArray(executions.id, batch)).run().changes);
      deleted += changes;
      if (changes < batchSize) break;
      await yieldToEventLoop();
    }
  }
  const vacuumedPages = await shrinkFile(gdb, options.signal);
  return { deleted, vacuumedPages };
}

interface FlowPolicy extends RetentionDefaults {
  flowId: string;
}

function flowPolicies(gdb: GateDb, defaults: RetentionDefaults): FlowPolicy[] {
  // json_extract reads just the two settings instead of parsing every flow document in JS.
  const rows = gdb.db
    .select({
      flowId: flows.id,
      maxAgeDays: sql<number | null>`json_extract(${flowVersions.doc}, '$.settings.retention.maxAgeDays')`,
      maxCount: sql<number | null>`json_extract(${flowVersions.doc}, '$.settings.retention.maxCount')`,
    })
    .from(flows)
    .innerJoin(flowVersions, and(eq(flowVersions.flowId, flows.id), eq(flowVersions.version, flows.currentVersion)))
    .all();
  return rows.map((r) => ({ flowId: r.flowId, maxAgeDays: r.maxAgeDays ?? defaults.maxAgeDays, maxCount: r.maxCount ?? defaults.maxCount }));
}

/** The condition for a flow's executions that the policy lets go, or undefined if none. */
function doomedExecutions(gdb: GateDb, policy: FlowPolicy, now: number): SQL | undefined {
  const ofFlow = eq(executions.flowId, policy.flowId);
  // The newest execution still kept by maxCount; everything older than it goes. Computed once:
  // runs that start meanwhile only make it keep more.
  const lastKept = gdb.db
    .select({ startedAt: executions.startedAt, id: executions.id })
    .from(executions)
    .where(ofFlow)
    .orderBy(desc(executions.startedAt), desc(executions.id))
    .limit(1)
    .offset(Math.max(policy.maxCount - 1, 0))
    .get();
  const tooOld = lt(executions.startedAt, now - policy.maxAgeDays * DAY_MS);
  const tooMany =
    policy.maxCount < 1
      ? sql`1`
      : lastKept && sql`(${executions.startedAt}, ${executions.id}) < (${lastKept.startedAt}, ${lastKept.id})`;
  return and(ofFlow, ne(executions.status, "running"), tooMany ? or(tooOld, tooMany) : tooOld);
}

/** Give free pages back to the file system, then empty the WAL. Returns the pages freed. */
async function shrinkFile(gdb: GateDb, signal: AbortSignal | undefined): Promise<number> {
  const freePages = () => gdb.sqlite.pragma("freelist_count", { simple: true }) as number;
  const before = freePages();
  let left = before;
  while (left > 0 && !signal?.aborted) {
    gdb.sqlite.exec(`PRAGMA incremental_vacuum(${VACUUM_STEP_PAGES})`);
    const now = freePages();
    if (now >= left) break; // not auto_vacuum=INCREMENTAL (e.g. a memory database): nothing to give back
    left = now;
    await yieldToEventLoop();
  }
  // TRUNCATE copies the WAL into the database file, truncating it to its new size, and resets
  // the WAL to zero bytes. If a reader is active it does what it can; the next run finishes it.
  if (gdb.path !== ":memory:") gdb.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  return before - left;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface MaintenanceOptions {
  intervalMs: number;
  defaults: RetentionDefaults;
  /** Passed to recoverInterrupted: a running execution silent this long is failed. */
  staleAfterMs: number;
  /** Dead letters older than this many days are deleted (default: kept until their flow goes). */
  deadLetterMaxAgeDays?: number;
  /** Called after each pass with what it did (the store logs nothing itself). */
  onRun?: (result: MaintenanceResult) => void;
  onError?: (error: unknown) => void;
}

export interface MaintenanceResult extends PruneResult {
  recovered: number;
  /** Dead letters deleted by age (only when `deadLetterMaxAgeDays` is set). */
  deadLetters?: number;
}

export interface Maintenance {
  /** Run a pass now (waits for one in progress first); resolves with its result. */
  runNow(): Promise<MaintenanceResult>;
  stop(): void;
}

/**
 * Recover interrupted runs and prune, right away (a restart is when interrupted runs appear) and
 * then every intervalMs. The timer is unref'd, so it never keeps the process alive on its own.
 */
export function startMaintenance(gdb: GateDb, options: MaintenanceOptions): Maintenance {
  const stopper = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<MaintenanceResult> | undefined;

  const pass = async (): Promise<MaintenanceResult> => {
    const recovered = recoverInterrupted(gdb, { staleAfterMs: options.staleAfterMs });
    const pruned = await pruneExecutions(gdb, { defaults: options.defaults, signal: stopper.signal });
    if (options.deadLetterMaxAgeDays === undefined) return { recovered, ...pruned };
    return { recovered, deadLetters: pruneDeadLetters(gdb, options.deadLetterMaxAgeDays * DAY_MS), ...pruned };
  };
  const runNow = async (): Promise<MaintenanceResult> => {
    while (running) await running.catch(() => undefined);
    running = pass();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };
  const schedule = (delay: number) => {
    if (stopper.signal.aborted) return;
    timer = setTimeout(() => {
      runNow().then(
        (result) => options.onRun?.(result),
        (error: unknown) => options.onError?.(error),
      ).finally(() => schedule(options.intervalMs));
    }, delay);
    timer.unref();
  };
  schedule(0);
  // Runs interrupted by a crash go stale `staleAfterMs` after the restart, long before the next
  // full pass: look for them at that pace (one indexed query on running rows), so a run cut off by
  // kill -9 is reported failed within a minute, not left `running` for ten.
  const recovery = setInterval(() => {
    try {
      const recovered = recoverInterrupted(gdb, { staleAfterMs: options.staleAfterMs });
      if (recovered) options.onRun?.({ recovered, deleted: 0, vacuumedPages: 0 });
    } catch (error) {
      options.onError?.(error);
    }
  }, Math.max(options.staleAfterMs, 1_000));
  recovery.unref();
  return {
    runNow,
    stop() {
      stopper.abort();
      clearTimeout(timer);
      clearInterval(recovery);
    },
  };
}
