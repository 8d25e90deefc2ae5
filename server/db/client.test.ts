import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { MIGRATIONS_DIR, openDatabase, openMemoryDatabase } from "./client";
import { createFlow, getFlow } from "./flows";
import * as schema from "./schema";
import { flowDoc, tempDb } from "./testing";

const tables = (sqlite: Database.Database) =>
  sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();

test("migrations apply on a fresh dir, and re-opening is idempotent", (t) => {
  const gdb = tempDb(t);
  assert.equal(gdb.path, path.join(gdb.dir, "gate.db"));
  assert.ok(path.isAbsolute(MIGRATIONS_DIR) && fs.existsSync(path.join(MIGRATIONS_DIR, "meta", "_journal.json")));
  // The migrations create exactly the tables schema.ts declares: none missing, none left over.
  const declared = (Object.values(schema) as unknown[]).flatMap((value) => (is(value, SQLiteTable) ? [getTableName(value)] : []));
  assert.deepEqual(tables(gdb.sqlite), ["__drizzle_migrations", ...declared].sort());
  const flow = createFlow(gdb, flowDoc("kept"));
  gdb.close();

  const again = openDatabase(gdb.dir);
  t.after(() => again.close());
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  assert.equal(again.sqlite.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get(), journal.entries.length);
  assert.equal(getFlow(again, flow.id)?.name, "kept");
});

test("PRAGMAs are in effect", (t) => {
  const { sqlite } = tempDb(t);
  const pragma = (name: string): unknown => sqlite.pragma(name, { simple: true });
  assert.equal(pragma("journal_mode"), "wal");
  assert.equal(pragma("auto_vacuum"), 2);
  assert.equal(pragma("synchronous"), 1);
  assert.equal(pragma("foreign_keys"), 1);
  assert.equal(pragma("busy_timeout"), 5000);
});

test("an existing file created without auto_vacuum is switched to INCREMENTAL, keeping its data", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-db-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const raw = new Database(path.join(dir, "gate.db"));
  raw.pragma("journal_mode = WAL");
  raw.exec("CREATE TABLE legacy (x); INSERT INTO legacy VALUES (42);");
  assert.equal(raw.pragma("auto_vacuum", { simple: true }), 0);
  raw.close();

  const gdb = openDatabase(dir);
  t.after(() => gdb.close());
  assert.equal(gdb.sqlite.pragma("auto_vacuum", { simple: true }), 2);
  assert.equal(gdb.sqlite.prepare("SELECT x FROM legacy").pluck().get(), 42);
});

test("a memory database has the full schema", () => {
  const gdb = openMemoryDatabase();
  assert.ok(tables(gdb.sqlite).includes("executions"));
  gdb.close();
  gdb.close(); // closing twice is harmless
});
