import { after, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import BetterSqlite from "better-sqlite3";
import { ConfigError, runNode, type Item } from "../sdk";
import { closeAllPools } from "./pool";
import { PEOPLE_COLUMNS, allBackends, hostFor, failureOf, uniqueName, unavailable, type Backend } from "./testing/backends";
import write from "./write";

const backends = await allBackends();
after(async () => {
  await closeAllPools();
  for (const backend of backends) await backend.close();
});

const expr = (source: string) => ({ kind: "expr", expr: source });

for (const backend of backends) {
  describe(`db.write on ${backend.label}`, () => {
    const credential = backend.credential();
    let table = "";
    const live = (config: Record<string, unknown>, items: Item[]) =>
      runNode(write, { config: { credential: "db", table, ...config }, items, credential, mode: "live", host: hostFor(backend) });
    const contents = () => backend.exec(`SELECT id, name, note FROM ${table} ORDER BY id`);

    // A fresh table per test: each test states exactly what it starts from.
    beforeEach(async () => {
      if (backend.available !== true) return;
      table = uniqueName("gate_w");
      await backend.exec(`CREATE TABLE ${table} ${PEOPLE_COLUMNS}`);
    });
    after(async () => {
      if (backend.available !== true) return;
      for (const row of await backend.exec(
        backend.name === "sqlite"
          ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name LIKE ?"
          : backend.name === "postgres"
            ? "SELECT tablename AS t FROM pg_tables WHERE tablename LIKE ?"
            : "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?",
        [`gate_w_${process.pid}_%`],
      ))
        await backend.exec(`DROP TABLE IF EXISTS ${String(row.t)}`);
    });

    test("inserts all item fields in multi-row statements, chunked by batch size", async (t) => {
      if (unavailable(t, backend)) return;
      const items = [
        { id: 1, name: "Ada", note: "a" },
        { id: 2, name: "Bob" },
        { id: 3, name: "Cy", note: { nested: [1, 2] } },
        { id: 4, name: "Di", note: "d" },
        { id: 5, name: "Ed", note: "e" },
      ];
      const { outputs } = await live({ batchSize: 2, output: "summary" }, items);
      // Items with the same fields share statements: {1,3,4,5} in two of two rows, {2} alone.
      assert.deepEqual(outputs.main, [{ table, mode: "insert", items: 5, statements: 3, affectedRows: 5 }]);
      assert.deepEqual(await contents(), [
        { id: 1, name: "Ada", note: "a" },
        { id: 2, name: "Bob", note: null },
        { id: 3, name: "Cy", note: '{"nested":[1,2]}' },
        { id: 4, name: "Di", note: "d" },
        { id: 5, name: "Ed", note: "e" },
      ]);
    });

    test("mapped columns take literals and expressions; the items pass on unchanged", async (t) => {
      if (unavailable(t, backend)) return;
      const items = [{ n: 7, first: "Grace", last: "Hopper" }];
      const { outputs } = await live({ fields: "mapped", columns: { id: expr("n"), name: expr("first & ' ' & last"), note: "imported" } }, items);
      assert.deepEqual(outputs.main, items);
      assert.deepEqual(await contents(), [{ id: 7, name: "Grace Hopper", note: "imported" }]);
    });

    test("upsert updates rows with the same conflict key and inserts the rest", async (t) => {
      if (unavailable(t, backend)) return;
      await backend.exec(`INSERT INTO ${table} (id, name, note) VALUES (1, 'Ada', 'old'), (2, 'Bob', 'keep')`);
      await live({ mode: "upsert", conflictKeys: ["id"] }, [
        { id: 1, name: "Ada L.", note: "new" },
        { id: 3, name: "Cy", note: "added" },
      ]);
      assert.deepEqual(await contents(), [
        { id: 1, name: "Ada L.", note: "new" },
        { id: 2, name: "Bob", note: "keep" },
        { id: 3, name: "Cy", note: "added" },
      ]);
    });

    test("injection attempts are stored verbatim and the table survives", async (t) => {
      if (unavailable(t, backend)) return;
      const evil = [`x'); DROP TABLE ${table}; --`, "Robert'); --", 'a"; DELETE FROM x; --', "back\\slash `tick`"];
      await live({}, evil.map((name, i) => ({ id: i + 1, name })));
      assert.ok(await backend.tableExists(table));
      assert.deepEqual((await contents()).map((r) => r.name), evil);
    });

    test("a refused row fails the whole batch, naming the item and column; nothing is written", async (t) => {
      if (unavailable(t, backend)) return;
      const items = [
        { id: 1, name: "Ada" },
        { id: 2, name: null },
        { id: 3, name: "Cy" },
      ];
      const { outputs } = await live({}, items);
      assert.equal(outputs.main, undefined);
      assert.equal(outputs.error?.length, 3);
      const { error } = outputs.error[0]! as { error: { code: string; message: string; details: unknown[] } };
      assert.equal(error.code, "DB_CONSTRAINT");
      assert.match(error.message, /^item 1, column "name": .*nothing of this batch was written/);
      assert.deepEqual(outputs.error.map((e) => e.item), items);
      assert.deepEqual(await contents(), []);
    });

    test("a duplicate key is pinned to its item", async (t) => {
      if (unavailable(t, backend)) return;
      await backend.exec(`INSERT INTO ${table} (id, name) VALUES (5, 'existing')`);
      const { outputs } = await live({}, [{ id: 4, name: "a" }, { id: 6, name: "b" }, { id: 5, name: "dup" }]);
      assert.match(String(failureOf(outputs)?.message), /^item 2\b/);
      assert.deepEqual(await contents(), [{ id: 5, name: "existing", note: null }]);
    });

    test("a refused row in a later statement of a mixed batch is pinned to its item", async (t) => {
      if (unavailable(t, backend)) return;
      // Rows are cut into statements of 2 and grouped by field list: the bad row is the second
      // statement's second row of the first group, and item 5 of the batch.
      const items = [
        { id: 1, name: "a" },
        { id: 2, name: "b", note: "x" },
        { id: 3, name: "c" },
        { id: 4, name: "d" },
        { id: 5, name: "e", note: "y" },
        { id: 6, name: null },
        { id: 7, name: "g" },
      ];
      const { outputs } = await live({ batchSize: 2 }, items);
      assert.match(String(failureOf(outputs)?.message), /^item 5, column "name": .*nothing of this batch was written/);
      assert.deepEqual(await contents(), []);
    });

    test("a test run returns the statements it would run and writes nothing", async (t) => {
      if (unavailable(t, backend)) return;
      const { outputs } = await runNode(write, {
        config: { credential: "db", table, mode: "upsert", conflictKeys: ["id"] },
        items: [{ id: 1, name: "Ada" }],
        credential,
        host: hostFor(backend),
      });
      const wouldRun = outputs.main?.[0]?.wouldRun as { sql: string; params: unknown[] };
      assert.match(wouldRun.sql, /^INSERT INTO .+ VALUES \((\$1|\?), (\$2|\?)\) ON (CONFLICT|DUPLICATE KEY)/);
      assert.deepEqual(wouldRun.params, [1, "Ada"]);
      assert.deepEqual(await contents(), []);
    });
  });
}

describe("db.write config and items", () => {
  const sqlite = backends.find((b) => b.name === "sqlite")!;
  const config = (extra: Record<string, unknown>) => ({ credential: "db", table: "people", ...extra });

  test("an injection in the table name is refused at validation", async () => {
    await assert.rejects(runNode(write, { config: config({ table: "people; DROP TABLE people; --" }) }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.issues[0]?.path, "table");
      assert.match(error.issues[0].message, /"people; DROP TABLE people; --" is not a valid name: use letters, digits and _ only/);
      return true;
    });
  });

  test("column names in a mapping are checked too", async () => {
    await assert.rejects(runNode(write, { config: config({ fields: "mapped", columns: { 'name" --': "x" } }) }), /columns.*not a valid name/);
  });

  test("an upsert needs conflict keys, and mapped conflict keys must be columns", async () => {
    await assert.rejects(runNode(write, { config: config({ mode: "upsert" }) }), /conflictKeys: an upsert needs at least one conflict key/);
    await assert.rejects(
      runNode(write, { config: config({ mode: "upsert", conflictKeys: ["id"], fields: "mapped", columns: { name: "x" } }) }),
      /conflictKeys\[0\]: conflict key "id" is not one of the columns/,
    );
  });

  test("an item field that cannot be a column names the item and the field", async () => {
    const { outputs } = await runNode(write, {
      config: config({}),
      items: [{ id: 1 }, { id: 2, "bad name": 1 }],
      credential: sqlite.credential(),
      host: hostFor(sqlite),
    });
    assert.match(String(failureOf(outputs)?.message), /^item 1: field "bad name" is not a valid name/);
  });

  test("a SQLite file is switched to the write-ahead log, where commits do not wait for the disk", async () => {
    const dir = (sqlite as Backend & { filesDir: string }).filesDir;
    const file = `${uniqueName("wal")}.sqlite`;
    const setup = new BetterSqlite(path.join(dir, file));
    setup.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT)");
    assert.equal(setup.pragma("journal_mode", { simple: true }), "delete");
    setup.close();
    const { outputs } = await runNode(write, {
      config: config({ output: "summary" }),
      items: [{ id: 1, name: "Ada" }],
      credential: sqlite.credential({ path: file }),
      mode: "live",
      host: hostFor(sqlite),
    });
    assert.equal((outputs.main?.[0] as { affectedRows: number }).affectedRows, 1);
    // The mode is stored in the file: a new connection sees it.
    const check = new BetterSqlite(path.join(dir, file));
    try {
      assert.equal(check.pragma("journal_mode", { simple: true }), "wal");
      assert.deepEqual(check.prepare("SELECT id, name FROM people").all(), [{ id: 1, name: "Ada" }]);
    } finally {
      check.close();
    }
  });

  test("an upsert item without its conflict key is named", async () => {
    const { outputs } = await runNode(write, {
      config: config({ mode: "upsert", conflictKeys: ["id"] }),
      items: [{ id: 1, name: "a" }, { name: "b" }],
      credential: sqlite.credential(),
      host: hostFor(sqlite),
    });
    assert.match(String(failureOf(outputs)?.message), /^item 1 has no field "id"/);
  });
});
