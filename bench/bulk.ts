/**
 * Bulk load: a generated 10-column CSV → transform.validate → db.write into a SQLite table, against
 * the sqlite3 shell's own `.import` of the same file into the same table, measured in the same run.
 * `npm run bench -- bulk` (1,000,000 rows); GATE_BENCH_BULK_ROWS=100000 for a quick run.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BULK_TABLE, writeBulkCsv } from "./bulk-data";
import type { BenchRow } from "./table";

interface ChildResult {
  rows: number;
  read: number;
  valid: number;
  written: number;
  seconds: number;
  rowsPerSec: number;
  peakRssMb: number;
  breakdownMs: { parse: number; validate: number; write: number };
}

const SQLITE3 = process.env.GATE_BENCH_SQLITE3 ?? "sqlite3";

function sqlite(db: string, ...args: string[]): string {
  return execFileSync(SQLITE3, [db, ...args], { encoding: "utf8" });
}

export async function benchBulk(): Promise<BenchRow[]> {
  const rows = Number(process.env.GATE_BENCH_BULK_ROWS ?? process.argv.find((a) => /^--rows=\d+$/.test(a))?.slice(7) ?? 1_000_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), "gate-bench-bulk-"));
  try {
    const csv = path.join(dir, "bulk.csv");
    await writeBulkCsv(csv, rows);
    const mb = (await stat(csv)).size / 1024 / 1024;
    // Other work on the machine slows both sides, but not always equally: say how busy it was.
    const load = () => os.loadavg()[0]!.toFixed(1);
    process.stderr.write(`  bulk: ${rows.toLocaleString("en-US")} rows, ${mb.toFixed(0)} MB of CSV; load average ${load()} on ${os.cpus().length} cores\n`);
    for (const name of ["gate.db", "gate-10k.db", "sqlite3.db"]) sqlite(path.join(dir, name), BULK_TABLE);
    const script = fileURLToPath(new URL("./bulk-child.ts", import.meta.url));
    // Each measurement starts with nothing left to write back: otherwise the disk is still flushing
    // the previous one's database while the next one runs (and syncs), and the order decides.
    const settle = () => execFileSync("sync");
    const child = (db: string, batch?: number): ChildResult => {
      settle();
      const args = ["--import", "tsx", script, dir, "bulk.csv", db, String(rows), ...(batch ? [String(batch)] : [])];
      const out = execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 });
      return JSON.parse(out.trim().split("\n").pop()!) as ChildResult;
    };
    // The defaults people get (1,000 rows per batch, so per transaction), then 10,000 per batch.
    const gate = child("gate.db");
    const big = child("gate-10k.db", 10_000);

    settle();
    const started = process.hrtime.bigint();
    sqlite(path.join(dir, "sqlite3.db"), "-cmd", ".mode csv", `.import --skip 1 ${csv} t`);
    const baselineSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    // Both tables must hold every row, or the speeds compare different work.
    const counted = (name: string) => Number(sqlite(path.join(dir, name), "SELECT count(*) FROM t").trim());
    const counts = { gate: counted("gate.db"), gate10k: counted("gate-10k.db"), sqlite3: counted("sqlite3.db"), validated: gate.valid, validated10k: big.valid };
    if (Object.values(counts).some((n) => n !== rows)) throw new Error(`bulk: row counts differ from ${rows}: ${JSON.stringify(counts)}`);

    const label = rows === 1_000_000 ? "1M" : rows.toLocaleString("en-US");
    const { parse, validate, write } = gate.breakdownMs;
    const total = parse + validate + write;
    const share = (ms: number) => `${((ms / total) * 100).toFixed(0)}%`;
    process.stderr.write(
      `  bulk: Gate ${gate.seconds.toFixed(1)} s (batchSize 10,000: ${big.seconds.toFixed(1)} s) (parse ${(parse / 1000).toFixed(1)} s ${share(parse)}, validate ${(validate / 1000).toFixed(1)} s ${share(validate)}, write ${(write / 1000).toFixed(1)} s ${share(write)}); sqlite3 .import ${baselineSeconds.toFixed(1)} s; load average ${load()}\n`,
    );
    return [
      {
        suite: "bulk",
        metric: `CSV → validate → SQLite, ${label} rows × 10 columns`,
        gate: gate.rowsPerSec,
        baseline: rows / baselineSeconds,
        baselineName: "sqlite3 .import",
        unit: "rows/s",
        better: "higher",
        target: "≥ 0.3×",
      },
      {
        suite: "bulk",
        metric: "  the same, file.read batchSize 10,000",
        gate: big.rowsPerSec,
        baseline: rows / baselineSeconds,
        baselineName: "sqlite3 .import",
        unit: "rows/s",
        better: "higher",
        target: "≥ 0.3×",
      },
      { suite: "bulk", metric: `peak RSS, ${label} rows`, gate: gate.peakRssMb, unit: "MB", better: "lower", target: "< 300 MB" },
      { suite: "bulk", metric: "  the same, batchSize 10,000", gate: big.peakRssMb, unit: "MB", better: "lower", target: "< 300 MB" },
      { suite: "bulk", metric: "time in file.read (CSV parse)", gate: parse / 1000, unit: "s", better: "lower", target: share(parse) },
      { suite: "bulk", metric: "time in transform.validate", gate: validate / 1000, unit: "s", better: "lower", target: share(validate) },
      { suite: "bulk", metric: "time in db.write", gate: write / 1000, unit: "s", better: "lower", target: share(write) },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
