import { after, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConfigError,
  createNodeContext,
  executeNode,
  memoryState,
  prepareNode,
  runNode,
  silentLogger,
  type MemoryState,
  type PortItems,
} from "../sdk";
import { closeAllPools } from "./pool";
import read from "./read";
import { allBackends, hostFor, uniqueName, unavailable, type Backend } from "./testing/backends";

const backends = await allBackends();
after(async () => {
  await closeAllPools();
  for (const backend of backends) await backend.close();
});

const TIMESTAMP: Record<Backend["name"], string> = { postgres: "TIMESTAMP(6)", mysql: "DATETIME(6)", sqlite: "TEXT" };

for (const backend of backends) {
  describe(`db.read on ${backend.label}`, () => {
    const credential = backend.credential();
    let table = "";
    const insert = async (rows: [number, number, string][]) => {
      for (const [id, seq, name] of rows) await backend.exec(`INSERT INTO ${table} (id, seq, name) VALUES (?, ?, ?)`, [id, seq, name]);
    };
    const readWith = (state: MemoryState, config: Record<string, unknown> = {}) =>
      runNode(read, {
        config: { credential: "db", table, cursor: "seq", batchSize: 2, ...config },
        items: [{}],
        credential,
        mode: "live",
        host: hostFor(backend, state),
      });
    const ids = (outputs: PortItems) => (outputs.main ?? []).map((item) => item.id);

    beforeEach(async () => {
      if (backend.available !== true) return;
      table = uniqueName("gate_r");
      await backend.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, seq INTEGER, name VARCHAR(100), at ${TIMESTAMP[backend.name]})`);
    });
    after(async () => {
      if (backend.available !== true) return;
      const like = `gate_r_${process.pid}_%`;
      const list =
        backend.name === "sqlite"
          ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name LIKE ?"
          : backend.name === "postgres"
            ? "SELECT tablename AS t FROM pg_tables WHERE tablename LIKE ?"
            : "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?";
      for (const row of await backend.exec(list, [like])) await backend.exec(`DROP TABLE IF EXISTS ${String(row.t)}`);
    });

    test("first run reads everything in batches; the next run only what is new", async (t) => {
      if (unavailable(t, backend)) return;
      await insert([[1, 10, "a"], [2, 20, "b"], [3, 30, "c"], [4, 40, "d"], [5, 50, "e"]]);
      const state = memoryState();
      const first = await readWith(state);
      assert.deepEqual(ids(first.outputs), [1, 2, 3, 4, 5]);
      assert.equal(first.batches, 3);
      assert.deepEqual(first.outputs.main?.[0], { id: 1, seq: 10, name: "a", at: null });
      state.commit(); // the host commits state when the run succeeds
      const mark = state.committed.get("node:watermark") as { source: string; cursor: number; key?: unknown };
      assert.equal(mark.cursor, 50);
      assert.equal(mark.key, undefined);
      assert.match(mark.source, /^[0-9a-f]{64}$/);

      await insert([[6, 60, "f"], [7, 70, "g"]]);
      const second = await readWith(state);
      assert.deepEqual(ids(second.outputs), [6, 7]);
      state.commit();
      const third = await readWith(state);
      assert.deepEqual(third.outputs.main ?? [], []);
      assert.equal(third.batches, 0);
    });

    test("a failed run does not move the watermark: the next run reads the same rows", async (t) => {
      if (unavailable(t, backend)) return;
      await insert([[1, 1, "a"], [2, 2, "b"], [3, 3, "c"]]);
      const state = memoryState();
      const failed = await readWith(state);
      assert.deepEqual(ids(failed.outputs), [1, 2, 3]);
      state.discard(); // the host discards staged state when a run fails
      const again = await readWith(state);
      assert.deepEqual(ids(again.outputs), [1, 2, 3]);
    });

    test("the watermark moves only when the next batch is pulled, i.e. after the last one was processed", async (t) => {
      if (unavailable(t, backend)) return;
      await insert([[1, 1, "a"], [2, 2, "b"], [3, 3, "c"]]);
      const state = memoryState();
      const node = prepareNode("reader", read, { credential: "db", table, cursor: "seq", batchSize: 2 });
      const ctx = createNodeContext({
        nodeId: "reader",
        mode: "live",
        dryRun: false,
        signal: new AbortController().signal,
        log: silentLogger,
        bindings: { execution: { id: "t", mode: "live" }, flow: { name: "t" } },
        host: hostFor(backend, state),
      });
      const outcome = await executeNode(node, { main: [{}] }, { ctx, credential, errorPortConnected: false });
      assert.equal(outcome.kind, "stream");
      if (outcome.kind !== "stream") return;
      const iterator = outcome.batches[Symbol.asyncIterator]();
      const firstBatch = await iterator.next();
      assert.deepEqual(ids(firstBatch.value as PortItems), [1, 2]);
      assert.equal(await state.get("reader:watermark"), undefined, "not advanced while the batch is in flight");
      const secondBatch = await iterator.next();
      assert.deepEqual(ids(secondBatch.value as PortItems), [3]);
      assert.equal((await state.get("reader:watermark") as { cursor: number }).cursor, 2);
      assert.equal((await iterator.next()).done, true);
      assert.equal((await state.get("reader:watermark") as { cursor: number }).cursor, 3);
    });

    test("a tie-break key reads rows sharing a cursor value exactly once across batches", async (t) => {
      if (unavailable(t, backend)) return;
      await insert([[1, 5, "a"], [2, 5, "b"], [3, 5, "c"], [4, 6, "d"], [5, 5, "e"]]);
      const state = memoryState();
      const first = await readWith(state, { key: "id" });
      assert.deepEqual(ids(first.outputs), [1, 2, 3, 5, 4]);
      state.commit();
      await insert([[6, 6, "f"]]);
      const second = await readWith(state, { key: "id" });
      assert.deepEqual(ids(second.outputs), [6]);
    });

    test("timestamps keep their full precision as the cursor", async (t) => {
      if (unavailable(t, backend)) return;
      const stamps = ["2026-01-01 10:00:00.000001", "2026-01-01 10:00:00.000002", "2026-01-01 10:00:00.000003"];
      for (const [i, at] of stamps.entries()) await backend.exec(`INSERT INTO ${table} (id, seq, name, at) VALUES (?, ?, ?, ?)`, [i + 1, i, "x", at]);
      const state = memoryState();
      const first = await readWith(state, { cursor: "at", batchSize: 1, columns: ["id"] });
      assert.deepEqual(ids(first.outputs), [1, 2, 3]);
      assert.deepEqual(first.outputs.main?.[2], { id: 3, at: stamps[2] });
      state.commit();
      assert.deepEqual((await readWith(state, { cursor: "at", batchSize: 1, columns: ["id"] })).outputs.main ?? [], []);
    });

    test("a query source and a starting watermark", async (t) => {
      if (unavailable(t, backend)) return;
      await insert([[1, 1, "a"], [2, 2, "skip"], [3, 3, "c"], [4, 4, "d"]]);
      const { outputs } = await readWith(memoryState(), {
        table: undefined,
        sql: `SELECT id, seq FROM ${table} WHERE name <> 'skip';`,
        initialWatermark: 1,
      });
      assert.deepEqual(outputs.main, [{ id: 3, seq: 3 }, { id: 4, seq: 4 }]);
    });

    test("changing the cursor column starts over instead of applying a stale watermark", async (t) => {
      if (unavailable(t, backend)) return;
      await insert([[1, 100, "a"], [2, 200, "b"]]);
      const state = memoryState();
      await readWith(state);
      state.commit();
      const { outputs } = await readWith(state, { cursor: "id" });
      assert.deepEqual(ids(outputs), [1, 2]);
    });
  });
}

describe("db.read config", () => {
  test("table and query are exclusive, the cursor is a checked name", async () => {
    await assert.rejects(runNode(read, { config: { credential: "db", table: "t", sql: "SELECT 1", cursor: "id" } }), /table: set either a table or a query/);
    await assert.rejects(runNode(read, { config: { credential: "db", table: "t", cursor: "id; --" } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.issues[0]?.path, "cursor");
      return true;
    });
    await assert.rejects(runNode(read, { config: { credential: "db", sql: "SELECT * FROM t WHERE a = :a", cursor: "id" } }), /no :name parameters/);
  });
});
