import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, runNode, type Item } from "../sdk";
import { closeAllPools } from "./pool";
import query from "./query";
import { PEOPLE_COLUMNS, allBackends, hostFor, failureOf, uniqueName, unavailable } from "./testing/backends";

const backends = await allBackends();
after(async () => {
  await closeAllPools();
  for (const backend of backends) await backend.close();
});

const expr = (source: string) => ({ kind: "expr", expr: source });

for (const backend of backends) {
  describe(`db.query on ${backend.label}`, () => {
    const table = uniqueName("gate_q");
    const credential = backend.credential();
    const live = (config: Record<string, unknown>, items: Item[] = [{}]) =>
      runNode(query, { config: { credential: "db", ...config }, items, credential, mode: "live", host: hostFor(backend) });

    before(async () => {
      if (backend.available !== true) return;
      await backend.exec(`CREATE TABLE ${table} ${PEOPLE_COLUMNS}`);
      await backend.exec(`INSERT INTO ${table} (id, name, note) VALUES (1, 'Ada', 'first'), (2, 'Bob', NULL), (3, 'Cy', 'x')`);
    });
    after(async () => {
      if (backend.available === true) await backend.exec(`DROP TABLE IF EXISTS ${table}`);
    });

    test("binds :name parameters from literals and item expressions; one item per row", async (t) => {
      if (unavailable(t, backend)) return;
      const { outputs } = await live(
        { sql: `SELECT id, name FROM ${table} WHERE name = :who OR id = :id ORDER BY id`, params: { who: expr("who"), id: 3 } },
        [{ who: "Ada" }, { who: "Bob" }],
      );
      assert.deepEqual(outputs.main, [{ id: 1, name: "Ada" }, { id: 3, name: "Cy" }, { id: 2, name: "Bob" }, { id: 3, name: "Cy" }]);
      assert.equal(outputs.error, undefined);
    });

    test("nested output keeps the item and puts rows under a field; affected counts changes", async (t) => {
      if (unavailable(t, backend)) return;
      const nested = await live(
        { sql: `SELECT name FROM ${table} WHERE id = :id`, params: { id: expr("ref") }, output: "nested", into: "person" },
        [{ ref: 2, keep: true }],
      );
      assert.deepEqual(nested.outputs.main, [{ ref: 2, keep: true, person: [{ name: "Bob" }] }]);
      const updated = await live(
        { sql: `UPDATE ${table} SET note = :note WHERE id = :id`, params: { note: expr("note"), id: expr("id") }, output: "affected" },
        [{ id: 2, note: "second" }],
      );
      assert.deepEqual(updated.outputs.main, [{ id: 2, note: "second", affectedRows: 1 }]);
      assert.deepEqual(await backend.exec(`SELECT note FROM ${table} WHERE id = 2`), [{ note: "second" }]);
    });

    test("an injection attempt in a value is stored verbatim and the table survives", async (t) => {
      if (unavailable(t, backend)) return;
      const evil = ["x'); DROP TABLE " + table + "; --", "Robert'); DROP TABLE students; --"];
      const { outputs } = await live(
        { sql: `INSERT INTO ${table} (id, name) VALUES (:id, :name)`, params: { id: expr("id"), name: expr("name") }, output: "affected" },
        [{ id: 10, name: evil[0] }, { id: 11, name: evil[1] }],
      );
      assert.equal(outputs.main?.length, 2);
      assert.ok(await backend.tableExists(table));
      const stored = await backend.exec(`SELECT name FROM ${table} WHERE id IN (10, 11) ORDER BY id`);
      assert.deepEqual(stored.map((r) => r.name), evil);
      const lookup = await live({ sql: `SELECT id FROM ${table} WHERE name = :name`, params: { name: evil[0] } });
      assert.deepEqual(lookup.outputs.main, [{ id: 10 }]);
    });

    test("a test run shows a write instead of running it", async (t) => {
      if (unavailable(t, backend)) return;
      const { outputs } = await runNode(query, {
        config: { credential: "db", sql: `DELETE FROM ${table} WHERE id = :id`, params: { id: expr("id") } },
        items: [{ id: 1 }],
        credential,
        host: hostFor(backend),
      });
      const marker = backend.name === "postgres" ? "$1" : "?";
      assert.deepEqual(outputs.main, [{ wouldRun: { sql: `DELETE FROM ${table} WHERE id = ${marker}`, params: [1] } }]);
      assert.equal((await backend.exec(`SELECT id FROM ${table} WHERE id = 1`)).length, 1);
    });

    test("read-only: runs in a test run, and the database refuses a change", async (t) => {
      if (unavailable(t, backend)) return;
      const host = hostFor(backend);
      const read = await runNode(query, {
        config: { credential: "db", sql: `SELECT COUNT(*) AS n FROM ${table} WHERE id < :max`, params: { max: 3 }, readOnly: true },
        items: [{}],
        credential,
        host,
      });
      assert.equal(Number(read.outputs.main?.[0]?.n), 2);
      const write = await runNode(query, {
        config: { credential: "db", sql: `DELETE FROM ${table} WHERE id = :id`, params: { id: 1 }, readOnly: true },
        items: [{ id: 1 }],
        credential,
        mode: "live",
        host,
      });
      assert.equal(write.outputs.main, undefined);
      assert.equal(failureOf(write.outputs)?.code, "DB_READ_ONLY");
      assert.match(String(failureOf(write.outputs)?.hint), /Read only/);
      assert.equal((await backend.exec(`SELECT id FROM ${table} WHERE id = 1`)).length, 1);
    });

    test("a bad statement is a clear item error naming the problem", async (t) => {
      if (unavailable(t, backend)) return;
      const { outputs } = await live({ sql: `SELECT nope FROM ${table}` }, [{ n: 1 }]);
      const failed = outputs.error?.[0] as { error: { code: string; message: string; node: string }; item: Item } | undefined;
      assert.equal(failed?.error.code, "DB_SQL");
      assert.match(failed.error.message, /nope/);
      assert.equal(failed.error.node, "node");
      assert.deepEqual(failed.item, { n: 1 });
    });
  });
}

describe("db.query config", () => {
  test("a :name without a value in params is refused at validation, naming it", async () => {
    await assert.rejects(runNode(query, { config: { credential: "db", sql: "SELECT * FROM t WHERE a = :email" } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.issues[0]?.path, "params");
      assert.match(error.issues[0].message, /:email/);
      return true;
    });
  });

  test("$1 placeholders are refused with the way to write it", async () => {
    await assert.rejects(runNode(query, { config: { credential: "db", sql: "SELECT $1" } }), /\$1 placeholders are not used in Gate: write :name/);
  });

  test("a bare ? on MySQL/SQLite is refused before anything is sent", async () => {
    const sqlite = backends.find((b) => b.name === "sqlite")!;
    const { outputs } = await runNode(query, {
      config: { credential: "db", sql: "SELECT * FROM t WHERE a = ?", readOnly: true },
      items: [{}],
      credential: sqlite.credential(),
      host: hostFor(sqlite),
    });
    assert.match(String(failureOf(outputs)?.message), /\? outside a string/);
  });

  test("a credential of another kind is refused clearly", async () => {
    const { outputs } = await runNode(query, {
      config: { credential: "db", sql: "SELECT 1", readOnly: true },
      items: [{}],
      credential: { id: "k", name: "my key", kind: "apiKey", data: { key: "k" } },
    });
    assert.equal(failureOf(outputs)?.code, "CREDENTIAL_KIND");
  });
});
