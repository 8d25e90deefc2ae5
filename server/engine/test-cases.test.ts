// Saved test cases: the comparison (paths, missing/extra items and keys, ignore rules), running
// cases with pinned data, capturing a case from a run, the tRPC procedures on a real data folder,
// and the guarantee that pinned data never reaches a live execution.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { FlowDocInput } from "./flow/schema";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gate-cases-"));
process.env.GATE_KEY_FILE = path.join(tmp, "master.key");
process.env.GATE_LOG_LEVEL = "silent";

const { compileFlow } = await import("./flow/compile");
const { loadDefaultRegistry } = await import("./registry");
const { caseProblems, captureCase, compareRun, parseIgnorePath, runCase, runCases } = await import("./test-cases");
const { openServices } = await import("../services");
const { appRouter } = await import("../api/root");

const registry = await loadDefaultRegistry();

/** in → map (normalises a contact) → check (a filter); the filter lets adults through. */
function contactFlow(extra: Partial<FlowDocInput> = {}): FlowDocInput {
  return {
    schemaVersion: 1,
    name: "Contacts",
    nodes: [
      { id: "in", type: "trigger.manual", config: {} },
      {
        id: "map",
        type: "map.fields",
        config: {
          fields: [
            { target: "email", expr: "$lowercase(email)", type: "string" },
            { target: "age", expr: "age", type: "integer" },
          ],
        },
      },
      { id: "adults", type: "transform.filter", config: { condition: "age >= 18" } },
    ],
    edges: [
      { from: "in", to: "map" },
      { from: "map", to: "adults" },
    ],
    ...extra,
  };
}

describe("compareRun", () => {
  const record = (output: Record<string, Record<string, unknown>[]>, counts?: Record<string, number>) => ({
    status: "success" as const,
    startedAt: new Date().toISOString(),
    durationMs: 1,
    nodes: {
      map: {
        status: "success" as const,
        durationMs: 1,
        itemsIn: 1,
        itemsOut: 1,
        batches: 1,
        input: [],
        output,
        outputCounts: counts ?? Object.fromEntries(Object.entries(output).map(([p, items]) => [p, items.length])),
      },
    },
  });

  test("a changed value is named by its path with both values", () => {
    const diffs = compareRun({ map: { main: [{ email: "a@b.co", n: 1 }] } }, record({ main: [{ email: "A@b.co", n: 1 }] }));
    assert.deepEqual(diffs, [{ path: "map.main[0].email", message: 'expected "a@b.co", got "A@b.co"' }]);
  });

  test("types matter: 36 is not \"36\"", () => {
    const diffs = compareRun({ map: { main: [{ age: 36 }] } }, record({ main: [{ age: "36" }] }));
    assert.deepEqual(diffs, [{ path: "map.main[0].age", message: 'expected 36, got "36"' }]);
  });

  test("missing and unexpected keys, nested and in lists, and odd key names", () => {
    const diffs = compareRun(
      { map: { main: [{ a: { b: 1, c: [1, 2] }, "first name": "Ada" }] } },
      record({ main: [{ a: { c: [1, 3, 4], d: true }, "first name": "Ada ", extra: null }] }),
    );
    assert.deepEqual(diffs, [
      { path: "map.main[0].a.b", message: "missing (expected 1)" },
      { path: "map.main[0].a.c", message: "expected 2 element(s), got 3" },
      { path: "map.main[0].a.c[1]", message: "expected 2, got 3" },
      { path: "map.main[0].a.c[2]", message: "unexpected element (got 4)" },
      { path: "map.main[0].a.d", message: "unexpected (got true)" },
      { path: 'map.main[0]["first name"]', message: 'expected "Ada", got "Ada "' },
      { path: "map.main[0].extra", message: "unexpected (got null)" },
    ]);
  });

  test("missing and extra items, and a port that produced nothing", () => {
    assert.deepEqual(compareRun({ map: { main: [{ x: 1 }, { x: 2 }] } }, record({ main: [{ x: 1 }] })), [
      { path: "map.main", message: "expected 2 item(s), got 1" },
      { path: "map.main[1]", message: 'missing item (expected {"x":2})' },
    ]);
    assert.deepEqual(compareRun({ map: { main: [{ x: 1 }] } }, record({ main: [{ x: 1 }], error: [{ e: 1 }] })), []);
    assert.deepEqual(compareRun({ map: { main: [{ x: 1 }], error: [] } }, record({ main: [{ x: 1 }], error: [{ e: 1 }] })), [
      { path: "map.error", message: "expected 0 item(s), got 1" },
      { path: "map.error[0]", message: 'unexpected item (got {"e":1})' },
    ]);
    assert.deepEqual(compareRun({ ghost: { main: [] } }, record({ main: [] })), []);
  });

  test("the full count counts, not only the kept sample", () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ i }));
    assert.deepEqual(compareRun({ map: { main: items } }, record({ main: items }, { main: 25 })), [
      { path: "map.main", message: "expected 20 item(s), got 25" },
    ]);
  });

  test("ignore rules skip volatile fields, with * for any key and [*] for any index", () => {
    const expected = { map: { main: [{ id: "x", at: "2024-01-01", meta: { seen: 1, v: 1 } }] } };
    const actual = record({ main: [{ id: "y", at: "2025-05-05", meta: { seen: 2, v: 2 } }] });
    assert.deepEqual(
      compareRun(expected, actual, ["map.main[*].at", "*.main[0].id", "map.*[*].meta.seen"]).map((d) => d.path),
      ["map.main[0].meta.v"],
    );
    assert.deepEqual(compareRun(expected, actual, ["map.main"]), []);
    assert.deepEqual(parseIgnorePath('a.b[2]["x y"].*'), [{ key: "a" }, { key: "b" }, { index: 2 }, { key: "x y" }, { key: "*" }]);
    assert.throws(() => parseIgnorePath("map"), /names no port/);
    assert.throws(() => parseIgnorePath("map.main[x]"), /at character 9 of "map.main\[x\]"/);
  });
});

describe("running cases", () => {
  test("a passing case, a failing one with its field paths, and pinned data per case and per flow", async () => {
    const flow = compileFlow(
      contactFlow({
        tests: {
          pinned: { map: [{ email: "pinned@flow", age: 50 }] },
          cases: [
            { name: "flow pin", input: { email: "X@Y", age: "3" }, expect: { adults: { main: [{ email: "pinned@flow", age: 50 }] } } },
            {
              name: "case pin wins",
              input: {},
              pinned: { map: [{ email: "a@case", age: 17 }, { email: "b@case", age: 30 }] },
              expect: { adults: { main: [{ email: "b@case", age: 31 }] } },
            },
          ],
        },
      }),
      registry,
    );
    const [flowPin, casePin] = await runCases(flow);
    assert.equal(flowPin!.passed, true, JSON.stringify(flowPin!.differences));
    assert.deepEqual(flowPin!.pinned, ["map"]);
    assert.equal(casePin!.passed, false);
    assert.deepEqual(casePin!.differences, [{ path: "adults.main[0].age", message: "expected 31, got 30" }]);
    assert.deepEqual((await runCases(flow, { only: "case pin wins" })).map((r) => r.name), ["case pin wins"]);
  });

  test("a run that fails is a difference naming the node and the error", async () => {
    const flow = compileFlow(contactFlow(), registry);
    const result = await runCase(flow, { name: "bad age", input: { email: "a@b", age: "twelve" }, expect: { adults: { main: [] } } });
    assert.equal(result.passed, false);
    assert.equal(result.status, "failed");
    assert.match(result.differences[0]!.path, /^run$/);
    assert.match(result.differences[0]!.message, /^the run failed at node "map": MAPPING_FAILED: .*age/);
  });

  test("destinations dry-run in a case: a file.write with a data folder writes nothing", async () => {
    const filesDir = fs.mkdtempSync(path.join(tmp, "files-"));
    const { createHostFactory } = await import("./host");
    const { openDatabase } = await import("../db/client");
    const gdb = openDatabase(fs.mkdtempSync(path.join(tmp, "db-")));
    try {
      const flow = compileFlow(
        {
          schemaVersion: 1,
          name: "Out",
          nodes: [
            { id: "in", type: "trigger.manual", config: {} },
            { id: "out", type: "file.write", config: { path: "out.ndjson", format: "ndjson" } },
          ],
          edges: [{ from: "in", to: "out" }],
        },
        registry,
      );
      const result = await runCase(
        flow,
        { name: "dry", input: [{ a: 1 }], expect: { out: { main: [{ dryRun: true, path: "out.ndjson", rows: 1 }] } }, ignore: ["out.main[*].format", "out.main[*].mode", "out.main[*].columns", "out.main[*].firstRows", "out.main[*].preview"] },
        { host: createHostFactory({ gdb, filesDir }).test() },
      );
      assert.equal(result.passed, true, JSON.stringify(result.differences));
      assert.deepEqual(fs.readdirSync(filesDir), []);
    } finally {
      gdb.close();
    }
  });

  test("caseProblems names cases that point at nodes, ports or triggers that do not exist", () => {
    const flow = compileFlow(
      contactFlow({
        tests: {
          pinned: { nope: [] },
          cases: [
            {
              name: "c",
              input: {},
              trigger: "map",
              pinned: { gone: [] },
              expect: { ghost: { main: [] }, adults: { true: [] } },
              ignore: ["adults"],
            },
          ],
        },
      }),
      registry,
    );
    assert.deepEqual(
      caseProblems(flow.flow, registry).map((p) => `${p.path}: ${p.message}`),
      [
        'tests.pinned.nope: there is no node "nope" in this flow',
        'tests.cases[0].trigger: "map" is not a trigger',
        'tests.cases[0].pinned.gone: there is no node "gone" in this flow',
        'tests.cases[0].expect.ghost: there is no node "ghost" in this flow',
        'tests.cases[0].expect.adults.true: "adults" has no output "true" (it has main, error)',
        'tests.cases[0].ignore[0]: "adults" names no port: write node.port, e.g. map.main[*].receivedAt',
      ],
    );
  });

  test("the flow schema refuses two cases with one name and more items than a run keeps", () => {
    const twice = { name: "same", input: {}, expect: {} };
    assert.throws(() => compileFlow(contactFlow({ tests: { cases: [twice, twice] } }), registry), /tests\.cases\[1\]\.name: test case name "same" is used twice/);
    const many = Array.from({ length: 21 }, () => ({}));
    assert.throws(
      () => compileFlow(contactFlow({ tests: { cases: [{ name: "big", input: {}, expect: { map: { main: many } } }] } }), registry),
      /a case checks at most 20 items per port/,
    );
  });

  test("captureCase takes the chosen nodes' outputs from a run, and refuses what it cannot check", async () => {
    const flow = compileFlow(contactFlow(), registry);
    const captured = await captureCase(flow, { name: "two", input: [{ email: "A@B", age: "40" }, { email: "C@D", age: 9 }], nodes: ["adults", "map"] });
    assert.deepEqual(captured.expect, {
      adults: { main: [{ email: "a@b", age: 40 }] },
      map: { main: [{ email: "a@b", age: 40 }, { email: "c@d", age: 9 }] },
    });
    assert.equal((await runCase(flow, captured)).passed, true);
    const many = Array.from({ length: 21 }, (_, i) => ({ email: "x", age: i + 20 }));
    await assert.rejects(captureCase(flow, { name: "big", input: many, nodes: ["adults"] }), /"adults" sent 21 items to "main"; a case checks at most 20/);
    await assert.rejects(captureCase(flow, { name: "bad", input: { age: "x" }, nodes: ["map"] }), /the run failed: MAPPING_FAILED/);
  });
});

describe("on a data folder", () => {
  let services: Awaited<ReturnType<typeof openServices>>;
  before(async () => {
    services = await openServices(path.join(tmp, "data"), { createKey: true });
  });
  after(() => {
    services.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("live executions never use pinned data, even when the flow and its cases pin nodes", async () => {
    const imported = services.flows.importFlow(
      contactFlow({
        name: "Pinned but live",
        tests: {
          pinned: { map: [{ email: "pinned@flow", age: 99 }] },
          cases: [{ name: "c", input: {}, pinned: { adults: [{ email: "pinned@case" }] }, expect: {} }],
        },
      }),
      { activate: false },
    );
    assert.ok(imported.ok);
    const { record } = await services.runner.runLive({ flowId: imported.flow.id, input: [{ email: "REAL@x", age: "30" }] });
    assert.equal(record.status, "success");
    assert.equal(record.nodes.map!.status, "success");
    assert.deepEqual(record.nodes.adults!.output.main, [{ email: "real@x", age: 30 }]);
    // A test run of the same document does use the flow's pinned data: the difference is the mode.
    const testRun = await services.runner.testRun({ doc: imported.flow.doc, input: [{ email: "REAL@x", age: "30" }] });
    assert.equal(testRun.nodes.map!.status, "pinned");
  });

  test("testCases procedures: save from a run, list, run, refuse a bad case, delete; each change a new version", async () => {
    const imported = services.flows.importFlow(contactFlow({ name: "Cases via API" }), { activate: true });
    assert.ok(imported.ok);
    const flowId = imported.flow.id;
    const as = (role: "viewer" | "analyst") =>
      appRouter.createCaller({
        services,
        user: { id: role, email: `${role}@example.com`, name: role, role },
        ip: "127.0.0.1",
        request: { contentType: "application/json", secure: false },
      });
    const analyst = as("analyst");

    const saved = await analyst.testCases.save({ flowId, case: { name: "adult", input: { email: "Q@R", age: "21" } }, capture: ["adults"] });
    assert.deepEqual(saved.case.expect, { adults: { main: [{ email: "q@r", age: 21 }] } });
    assert.equal(saved.flow.version, 2);
    assert.equal(saved.flow.active, true);

    const listed = await as("viewer").testCases.list({ flowId });
    assert.deepEqual(listed.cases.map((c) => c.name), ["adult"]);
    await assert.rejects(as("viewer").testCases.save({ flowId, case: { name: "x", input: {} }, expect: {} }), /needs the analyst role/);

    const explicit = await analyst.testCases.save({ flowId, case: { name: "minor", input: { email: "m", age: 5 } }, expect: { adults: { main: [{ email: "m", age: 6 }] } } });
    assert.equal(explicit.flow.version, 3);
    const run = await analyst.testCases.run({ flowId });
    assert.deepEqual(run.results.map((r) => [r.name, r.passed]), [["adult", true], ["minor", false]]);
    assert.deepEqual(run.results[1]!.differences, [
      { path: "adults.main", message: "expected 1 item(s), got 0" },
      { path: "adults.main[0]", message: 'missing item (expected {"email":"m","age":6})' },
    ]);

    await assert.rejects(
      analyst.testCases.save({ flowId, case: { name: "bad", input: {} }, expect: { nowhere: { main: [] } } }),
      (error: Error & { cause?: { problems?: { path: string }[] } }) =>
        /does not fit the flow/.test(error.message) && error.cause?.problems?.[0]?.path === "tests.cases[2].expect.nowhere",
    );
    await assert.rejects(analyst.testCases.save({ flowId, case: { name: "stale", input: {} }, expect: {}, baseVersion: 1 }), /changed since version 1/);

    const removed = await analyst.testCases.delete({ flowId, name: "minor" });
    assert.equal(removed.flow.version, 4);
    assert.deepEqual((await analyst.testCases.list({ flowId })).cases.map((c) => c.name), ["adult"]);
    assert.deepEqual(
      services.flows.versions(flowId).map((v: { note?: string | null }) => v.note),
      ['test case "minor" deleted', 'test case "minor" saved', 'test case "adult" saved', "imported"],
    );
  });
});
