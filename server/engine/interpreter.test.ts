import { before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { NodeError, defineNode, z, type Item, type PortItems, type WebhookResponse } from "../../nodes/sdk";
import { compileFlow } from "./flow/compile";
import type { FlowDocInput } from "./flow/schema";
import { runFlow, type RunOptions } from "./interpreter";
import { NodeRegistry } from "./registry";
import { RunRecord } from "./run-record";

// ---------------------------------------------------------------------------------------------
// Test-only nodes. Their observations live in module state, reset before each test.

const sent: Item[][] = [];
const attempts = new Map<string, number>();
let sinkCount = 0;

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error("aborted before start"));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new Error("stopped by the run's signal"));
      },
      { once: true },
    );
  });
}

const destination = defineNode({
  type: "test.destination",
  version: 1,
  category: "destination",
  title: "Test destination",
  description: "Sends items somewhere; a dry run returns what it would send.",
  config: z.object({ target: z.string().default("crm") }).strict(),
  sideEffects: true,
  run: ({ items, config, ctx }) => {
    if (ctx.dryRun) return { main: [{ wouldSend: { target: config.target, items } }] };
    sent.push(items);
    return { main: items.map((item) => ({ ...item, sent: true })) };
  },
});

const flaky = defineNode({
  type: "test.flaky",
  version: 1,
  category: "transform",
  title: "Flaky",
  description: "Fails each item `failTimes` times before it succeeds.",
  config: z.object({ failTimes: z.number().int().min(0), retryable: z.boolean().default(true) }).strict(),
  runItem: ({ item, config }) => {
    const key = String(item.id);
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (n <= config.failTimes)
      throw new NodeError(`upstream busy (call ${n})`, { code: "UPSTREAM_BUSY", retryable: config.retryable });
    return { main: { ...item, calls: n } };
  },
});

const slow = defineNode({
  type: "test.slow",
  version: 1,
  category: "transform",
  title: "Slow",
  description: "Waits, honouring the run's signal.",
  config: z.object({ ms: z.number().int() }).strict(),
  run: async ({ items, config, ctx }) => {
    await sleepFor(config.ms, ctx.signal);
    return { main: items };
  },
});

interface SourceObservation {
  /** Items the sink had seen when batch k was about to be yielded. */
  sinkBefore: number[];
  heapAtStart?: number;
  heapAtEnd?: number;
}
const sourceSeen: SourceObservation = { sinkBefore: [] };
let forceGc: (() => void) | undefined;

function heapAfterGc(): number {
  forceGc!();
  forceGc!();
  return process.memoryUsage().heapUsed;
}

const source = defineNode({
  type: "test.source",
  version: 1,
  category: "source",
  title: "Generated source",
  description: "Yields `batches` batches of `size` generated items.",
  config: z.object({ batches: z.number().int(), size: z.number().int(), measure: z.boolean().default(false) }).strict(),
  run: ({ config }) => generate(config),
});

async function* generate(config: { batches: number; size: number; measure: boolean }): AsyncGenerator<PortItems> {
  for (let b = 0; b < config.batches; b++) {
    // A real source waits for I/O between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
    sourceSeen.sinkBefore.push(sinkCount);
    if (config.measure && b === 10) sourceSeen.heapAtStart = heapAfterGc();
    const items: Item[] = new Array<Item>(config.size);
    for (let i = 0; i < config.size; i++) {
      const id = b * config.size + i;
      // ~0.5 KB per item, so that keeping 100k of them would need tens of megabytes.
      items[i] = { id, name: `user-${id}`, blob: String(id).padStart(500, "x") };
    }
    yield { main: items };
  }
  if (config.measure) sourceSeen.heapAtEnd = heapAfterGc();
}

const sink = defineNode({
  type: "test.sink",
  version: 1,
  category: "destination",
  title: "Counting sink",
  description: "Counts the items it receives.",
  config: z.object({}).strict(),
  run: ({ items }) => {
    sinkCount += items.length;
    return {};
  },
});

let registry: NodeRegistry;

before(async () => {
  registry = new NodeRegistry();
  await registry.loadDirectory();
  for (const def of [destination, flaky, slow, source, sink]) registry.register(def, "test");
  assert.deepEqual(
    registry.problems.filter((p) => p.source === "test"),
    [],
  );
  try {
    setFlagsFromString("--expose-gc");
    forceGc = runInNewContext("gc") as () => void;
  } catch {
    forceGc = undefined;
  }
});

beforeEach(() => {
  sent.length = 0;
  attempts.clear();
  sinkCount = 0;
  sourceSeen.sinkBefore = [];
  delete sourceSeen.heapAtStart;
  delete sourceSeen.heapAtEnd;
});

// ---------------------------------------------------------------------------------------------

type NodeInput = FlowDocInput["nodes"][number];
type EdgeInput = NonNullable<FlowDocInput["edges"]>[number];

function flow(nodes: NodeInput[], edges: EdgeInput[], settings?: FlowDocInput["settings"]) {
  const doc: FlowDocInput = { schemaVersion: 1, name: "interpreter test", nodes, edges };
  if (settings) doc.settings = settings;
  return compileFlow(doc, registry);
}

/** A chain of edges a → b → c … over main ports. */
function chain(...ids: string[]): EdgeInput[] {
  return ids.slice(1).map((to, i) => ({ from: ids[i]!, to }));
}

const manual: NodeInput = { id: "in", type: "trigger.manual" };

function run(compiled: ReturnType<typeof flow>, options: Partial<RunOptions> = {}) {
  return runFlow(compiled, { input: [], mode: "test", ...options });
}

/** Items compared by JSON value (jsonata may build objects without a prototype). */
function json(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe("runFlow", () => {
  test("a node's fallback: a failing item continues on main with the fallback fields; the error port, when connected, wins", async () => {
    const failing: NodeInput = { id: "enrich", type: "map.jsonata", config: { expr: "score > 5 ? $ : $error('enrichment service refused')" }, fallback: { output: { enriched: false } } };
    const compiled = flow([manual, failing, { id: "out", type: "map.jsonata", config: { expr: "$" } }], chain("in", "enrich", "out"));
    const record = await run(compiled, { input: [{ id: 1, score: 9 }, { id: 2, score: 1 }] });
    assert.equal(record.status, "success");
    assert.deepEqual(json(record.nodes.out!.output.main), [{ id: 1, score: 9 }, { id: 2, score: 1, enriched: false }]);

    const routed = flow(
      [manual, failing, { id: "out", type: "map.jsonata", config: { expr: "$" } }, { id: "errors", type: "map.jsonata", config: { expr: "{ 'code': error.code }" } }],
      [...chain("in", "enrich", "out"), { from: "enrich", fromPort: "error", to: "errors" }],
    );
    const both = await run(routed, { input: [{ id: 2, score: 1 }] });
    assert.deepEqual(json(both.nodes.out?.output.main ?? []), []);
    assert.equal(both.nodes.errors!.itemsOut, 1);
  });

  test("a linear flow: status, counts, first items and timings per node", async () => {
    const compiled = flow(
      [
        manual,
        { id: "map", type: "map.fields", config: { fields: [{ target: "name", expr: "first & ' ' & last" }, { target: "age", expr: "age", type: "integer" }] } },
        { id: "adults", type: "transform.filter", config: { condition: "age >= 18" } },
      ],
      chain("in", "map", "adults"),
    );
    const input = [
      { first: "Ada", last: "Lovelace", age: "36" },
      { first: "Tim", last: "Young", age: 12 },
      { first: "Alan", last: "Turing", age: 41 },
    ];
    const record = await run(compiled, { input });
    assert.doesNotThrow(() => RunRecord.parse(record));
    assert.equal(record.status, "success");
    assert.equal(record.error, undefined);
    assert.equal(record.response, undefined);
    assert.ok(!Number.isNaN(Date.parse(record.startedAt)));
    assert.equal(typeof record.durationMs, "number");
    assert.ok(record.durationMs >= 0);
    assert.deepEqual(Object.keys(record.nodes).sort(), ["adults", "in", "map"]);

    const trigger = record.nodes.in!;
    assert.equal(trigger.status, "success");
    assert.equal(trigger.itemsIn, 3);
    assert.deepEqual(trigger.outputCounts, { main: 3 });

    const map = record.nodes.map!;
    assert.equal(map.status, "success");
    assert.equal(map.itemsIn, 3);
    assert.equal(map.itemsOut, 3);
    assert.equal(map.batches, 1);
    assert.deepEqual(map.input, input);
    assert.deepEqual(json(map.output.main), [
      { name: "Ada Lovelace", age: 36 },
      { name: "Tim Young", age: 12 },
      { name: "Alan Turing", age: 41 },
    ]);
    assert.ok(map.durationMs >= 0);

    const adults = record.nodes.adults!;
    assert.equal(adults.status, "success");
    assert.equal(adults.itemsIn, 3);
    assert.deepEqual(adults.outputCounts, { main: 2 });
    assert.deepEqual(
      adults.output.main!.map((i) => i.name),
      ["Ada Lovelace", "Alan Turing"],
    );
  });

  test("nodes that receive nothing are skipped", async () => {
    const compiled = flow(
      [
        manual,
        { id: "none", type: "transform.filter", config: { condition: "false" } },
        { id: "after", type: "map.jsonata", config: { expr: "$" } },
      ],
      chain("in", "none", "after"),
    );
    const record = await run(compiled, { input: [{ a: 1 }] });
    assert.equal(record.status, "success");
    assert.equal(record.nodes.none!.status, "success");
    assert.equal(record.nodes.none!.itemsOut, 0);
    assert.equal(record.nodes.after!.status, "skipped");
    assert.equal(record.nodes.after!.batches, 0);
  });

  describe("error ports", () => {
    const nodes: NodeInput[] = [
      manual,
      { id: "map", type: "map.fields", config: { fields: [{ target: "n", expr: "n", type: "integer" }] } },
      { id: "ok", type: "map.jsonata", config: { expr: "$" } },
      { id: "failed", type: "map.jsonata", config: { expr: "{ 'code': error.code, 'node': error.node, 'attempt': error.attempt, 'id': item.id }" } },
    ];
    const input = [
      { id: 1, n: "7" },
      { id: 2, n: "seven" },
      { id: 3, n: 3 },
    ];

    test("a failing item goes to the connected error branch and the run succeeds", async () => {
      const compiled = flow(nodes, [...chain("in", "map", "ok"), { from: "map", fromPort: "error", to: "failed" }]);
      const record = await run(compiled, { input });
      assert.equal(record.status, "success");
      assert.deepEqual(record.nodes.map!.outputCounts, { main: 2, error: 1 });
      assert.deepEqual(json(record.nodes.ok!.output.main), [{ n: 7 }, { n: 3 }]);
      assert.deepEqual(json(record.nodes.failed!.output.main), [{ code: "MAPPING_FAILED", node: "map", attempt: 1, id: 2 }]);
      const errorItem = record.nodes.failed!.input[0]!;
      assert.deepEqual(errorItem.item, { id: 2, n: "seven" });
      assert.match((errorItem.error as { message: string }).message, /n: cannot turn "seven" into a number/);
    });

    test("without an error branch the run fails and names the node and code", async () => {
      const compiled = flow(nodes.slice(0, 3), chain("in", "map", "ok"));
      const record = await run(compiled, { input });
      assert.equal(record.status, "failed");
      assert.equal(record.error?.node, "map");
      assert.equal(record.error?.code, "MAPPING_FAILED");
      assert.equal(record.error?.attempt, 1);
      assert.match(record.error.message, /seven/);
      assert.equal(record.nodes.map!.status, "failed");
      assert.deepEqual(record.nodes.map!.error, record.error);
      assert.equal(record.nodes.ok!.status, "skipped");
      assert.doesNotThrow(() => RunRecord.parse(record));
    });
  });

  test("a logic.if → two branches → logic.merge diamond", async () => {
    const compiled = flow(
      [
        manual,
        { id: "if", type: "logic.if", config: { condition: "amount > 100" } },
        { id: "big", type: "map.fields", config: { keepInput: true, fields: [{ target: "size", expr: "'big'" }] } },
        { id: "small", type: "map.fields", config: { keepInput: true, fields: [{ target: "size", expr: "'small'" }] } },
        { id: "merge", type: "logic.merge", config: { mode: "append" } },
        { id: "out", type: "transform.filter", config: { condition: "true" } },
      ],
      [
        { from: "in", to: "if" },
        { from: "if", fromPort: "true", to: "big" },
        { from: "if", fromPort: "false", to: "small" },
        { from: "big", to: "merge", toPort: "a" },
        { from: "small", to: "merge", toPort: "b" },
        { from: "merge", to: "out" },
      ],
    );
    const record = await run(compiled, { input: [{ amount: 50 }, { amount: 500 }, { amount: 5 }, { amount: 1000 }] });
    assert.equal(record.status, "success");
    assert.deepEqual(record.nodes.if!.outputCounts, { true: 2, false: 2 });
    assert.equal(record.nodes.merge!.batches, 1, "the merge runs once, with both branches");
    assert.equal(record.nodes.merge!.itemsIn, 4);
    assert.deepEqual(json(record.nodes.out!.output.main), [
      { amount: 500, size: "big" },
      { amount: 1000, size: "big" },
      { amount: 50, size: "small" },
      { amount: 5, size: "small" },
    ]);
  });

  test("the record keeps at most 20 items per port but counts them all", async () => {
    const compiled = flow([manual, { id: "f", type: "transform.filter", config: { condition: "i % 2 = 0" } }], chain("in", "f"));
    const input = Array.from({ length: 100 }, (_, i) => ({ i }));
    const record = await run(compiled, { input });
    const f = record.nodes.f!;
    assert.equal(f.itemsIn, 100);
    assert.equal(f.input.length, 20);
    assert.deepEqual(f.input, input.slice(0, 20));
    assert.equal(f.outputCounts.main, 50);
    assert.equal(f.output.main!.length, 20);
    assert.deepEqual(
      f.output.main!.map((x) => x.i),
      Array.from({ length: 20 }, (_, k) => k * 2),
    );
    assert.equal(record.nodes.in!.output.main!.length, 20);
    assert.equal(record.nodes.in!.outputCounts.main, 100);
  });

  describe("pinned data and startAt", () => {
    const nodes: NodeInput[] = [
      manual,
      { id: "map", type: "map.fields", config: { fields: [{ target: "v", expr: "v * 10" }] } },
      { id: "after", type: "map.jsonata", config: { expr: "{ 'seen': v }" } },
    ];
    const compiledFlow = () => flow(nodes, chain("in", "map", "after"));

    test("pinned output replaces a node in test mode", async () => {
      const record = await run(compiledFlow(), { input: [{ v: 1 }], pinned: { map: [{ v: 42 }, { v: 43 }] } });
      assert.equal(record.status, "success");
      assert.equal(record.nodes.map!.status, "pinned");
      assert.deepEqual(record.nodes.map!.output.main, [{ v: 42 }, { v: 43 }]);
      assert.deepEqual(json(record.nodes.after!.output.main), [{ seen: 42 }, { seen: 43 }]);
    });

    test("pinned output is ignored in live mode", async () => {
      const record = await run(compiledFlow(), { mode: "live", input: [{ v: 1 }], pinned: { map: [{ v: 42 }] } });
      assert.equal(record.nodes.map!.status, "success");
      assert.deepEqual(json(record.nodes.after!.output.main), [{ seen: 10 }]);
    });

    test("startAt runs from a middle node with the given input", async () => {
      const record = await run(compiledFlow(), { startAt: "map", input: [{ v: 2 }, { v: 3 }] });
      assert.equal(record.status, "success");
      assert.equal(record.nodes.in!.status, "skipped");
      assert.equal(record.nodes.map!.itemsIn, 2);
      assert.deepEqual(json(record.nodes.after!.output.main), [{ seen: 20 }, { seen: 30 }]);
    });

    test("starting at a node that does not exist fails the run", async () => {
      const record = await run(compiledFlow(), { startAt: "nope", input: [{}] });
      assert.equal(record.status, "failed");
      assert.equal(record.error?.code, "NO_ENTRY");
    });
  });

  describe("dry run of destinations with side effects", () => {
    const compiledFlow = () => flow([manual, { id: "dest", type: "test.destination", config: { target: "crm" } }], chain("in", "dest"));
    const input = [{ id: 1 }, { id: 2 }];

    test("a test run does not send: the node returns what it would send", async () => {
      const record = await run(compiledFlow(), { input });
      assert.equal(record.status, "success");
      assert.equal(sent.length, 0);
      assert.deepEqual(record.nodes.dest!.output.main, [{ wouldSend: { target: "crm", items: input } }]);
    });

    test("a test run with live: true sends", async () => {
      const record = await run(compiledFlow(), { input, live: true });
      assert.deepEqual(sent, [input]);
      assert.deepEqual(record.nodes.dest!.output.main, [
        { id: 1, sent: true },
        { id: 2, sent: true },
      ]);
    });

    test("a live execution sends", async () => {
      await run(compiledFlow(), { input, mode: "live" });
      assert.deepEqual(sent, [input]);
    });
  });

  describe("retry", () => {
    const settings = { retry: { maxAttempts: 3, baseMs: 1 } };
    const input = [{ id: "a" }, { id: "b" }];

    test("a retryable failure is retried per the flow's policy and then succeeds", async () => {
      const compiled = flow([manual, { id: "flaky", type: "test.flaky", config: { failTimes: 2 } }], chain("in", "flaky"), settings);
      const record = await run(compiled, { input });
      assert.equal(record.status, "success");
      assert.deepEqual(record.nodes.flaky!.output.main, [
        { id: "a", calls: 3 },
        { id: "b", calls: 3 },
      ]);
      assert.deepEqual(Object.fromEntries(attempts), { a: 3, b: 3 });
      assert.equal(record.nodes.flaky!.retries, 4, "two extra attempts for each of the two items, visible in the record");
      assert.equal(record.nodes.in!.retries, undefined);
    });

    test("when attempts run out, the failure says how many were made", async () => {
      const compiled = flow([manual, { id: "flaky", type: "test.flaky", config: { failTimes: 10 } }], chain("in", "flaky"), settings);
      const record = await run(compiled, { input });
      assert.equal(record.status, "failed");
      assert.equal(record.error?.node, "flaky");
      assert.equal(record.error?.code, "UPSTREAM_BUSY");
      assert.equal(record.error?.attempt, 3);
      assert.equal(attempts.get("a"), 3);
    });

    test("exhausted items on a connected error port carry their attempt count", async () => {
      const compiled = flow(
        [
          manual,
          { id: "flaky", type: "test.flaky", config: { failTimes: 10 } },
          { id: "dlq", type: "map.jsonata", config: { expr: "$" } },
        ],
        [...chain("in", "flaky"), { from: "flaky", fromPort: "error", to: "dlq" }],
        settings,
      );
      const record = await run(compiled, { input });
      assert.equal(record.status, "success");
      assert.equal(record.nodes.dlq!.itemsIn, 2);
      const error = record.nodes.dlq!.input[0]!.error as { attempt: number; code: string; node: string };
      assert.deepEqual({ attempt: error.attempt, code: error.code, node: error.node }, { attempt: 3, code: "UPSTREAM_BUSY", node: "flaky" });
    });

    test("a node's own retry policy overrides the flow's", async () => {
      const compiled = flow(
        [manual, { id: "flaky", type: "test.flaky", config: { failTimes: 2 }, retry: { maxAttempts: 1 } }],
        chain("in", "flaky"),
        settings,
      );
      const record = await run(compiled, { input: [{ id: "a" }] });
      assert.equal(record.status, "failed");
      assert.equal(record.error?.attempt, 1);
      assert.equal(attempts.get("a"), 1);
    });

    test("a failure that is not retryable is not retried", async () => {
      const compiled = flow(
        [manual, { id: "flaky", type: "test.flaky", config: { failTimes: 1, retryable: false } }],
        chain("in", "flaky"),
        settings,
      );
      const record = await run(compiled, { input: [{ id: "a" }] });
      assert.equal(record.status, "failed");
      assert.equal(record.error?.attempt, 1);
      assert.equal(attempts.get("a"), 1);
    });
  });

  describe("cancellation and time limit", () => {
    test("aborting the signal cancels the run", async () => {
      const compiled = flow(
        [manual, { id: "slow", type: "test.slow", config: { ms: 10_000 } }, { id: "after", type: "map.jsonata", config: { expr: "$" } }],
        chain("in", "slow", "after"),
      );
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 50);
      const started = performance.now();
      const record = await run(compiled, { input: [{ a: 1 }], signal: controller.signal });
      clearTimeout(timer);
      assert.ok(performance.now() - started < 5_000, "the run stopped promptly");
      assert.equal(record.status, "cancelled");
      assert.equal(record.error?.code, "CANCELLED");
      assert.equal(record.nodes.slow!.status, "cancelled");
      assert.equal(record.nodes.after!.status, "skipped");
    });

    test("a run past settings.timeoutMs fails with TIMEOUT", async () => {
      const compiled = flow([manual, { id: "slow", type: "test.slow", config: { ms: 10_000 } }], chain("in", "slow"), { timeoutMs: 150 });
      const started = performance.now();
      const record = await run(compiled, { input: [{ a: 1 }] });
      assert.ok(performance.now() - started < 5_000, "the run stopped promptly");
      assert.equal(record.status, "failed");
      assert.equal(record.error?.code, "TIMEOUT");
      assert.match(record.error.message, /time limit/);
    });

    test("a run within its time limit is unaffected", async () => {
      const compiled = flow([manual, { id: "slow", type: "test.slow", config: { ms: 20 } }], chain("in", "slow"), { timeoutMs: 5_000 });
      const record = await run(compiled, { input: [{ a: 1 }] });
      assert.equal(record.status, "success");
    });
  });

  test("streaming: 200 batches of 500 items flow through map and filter batch by batch", async () => {
    const compiled = flow(
      [
        manual,
        { id: "src", type: "test.source", config: { batches: 200, size: 500, measure: forceGc !== undefined } },
        {
          id: "map",
          type: "map.fields",
          config: {
            fields: [
              { target: "id", expr: "id", type: "integer" },
              { target: "label", expr: "name" },
              { target: "even", expr: "id % 2 = 0", type: "boolean" },
              // Carried along, so that whichever stage kept items would keep the ~0.5 KB strings.
              { target: "blob", expr: "blob" },
            ],
          },
        },
        { id: "even", type: "transform.filter", config: { condition: "even" } },
        { id: "sink", type: "test.sink" },
      ],
      chain("in", "src", "map", "even", "sink"),
    );
    const record = await run(compiled, { input: [{}] });
    assert.equal(record.status, "success", JSON.stringify(record.error));

    assert.equal(record.nodes.src!.outputCounts.main, 100_000);
    assert.equal(record.nodes.map!.batches, 200);
    assert.equal(record.nodes.map!.itemsIn, 100_000);
    assert.equal(record.nodes.map!.outputCounts.main, 100_000);
    assert.equal(record.nodes.even!.batches, 200);
    assert.equal(record.nodes.even!.outputCounts.main, 50_000);
    assert.equal(record.nodes.sink!.batches, 200);
    assert.equal(sinkCount, 50_000);
    assert.equal(record.nodes.map!.output.main!.length, 20);
    assert.deepEqual(record.nodes.map!.output.main![0], { id: 0, label: "user-0", even: true, blob: "0".padStart(500, "x") });

    // Each batch reaches the end of the graph before the source produces the next one.
    assert.deepEqual(
      sourceSeen.sinkBefore,
      Array.from({ length: 200 }, (_, b) => b * 250),
    );

    // Bounded memory: 100k items of ~0.5 KB would need ~50 MB if any stage kept them.
    assert.ok(forceGc, "gc could not be exposed for the memory check");
    const growth = sourceSeen.heapAtEnd! - sourceSeen.heapAtStart!;
    assert.ok(growth < 16 * 1024 * 1024, `heap grew by ${(growth / 1024 / 1024).toFixed(1)} MB over 190 batches`);
  });

  describe("respond", () => {
    const hook: NodeInput = { id: "in", type: "trigger.webhook", config: { path: "orders", responseMode: "respondNode" } };

    test("the respond node's answer is in the record and onRespond is called once", async () => {
      const compiled = flow(
        [hook, { id: "reply", type: "respond", config: { status: 201, body: { kind: "expr", expr: "{ 'accepted': id }" } } }],
        chain("in", "reply"),
      );
      const responses: WebhookResponse[] = [];
      const record = await run(compiled, { mode: "live", input: [{ id: "o-1" }, { id: "o-2" }], onRespond: (r) => responses.push(r) });
      assert.equal(record.status, "success");
      assert.equal(responses.length, 1);
      assert.equal(record.response?.status, 201);
      assert.equal(record.response?.headers["content-type"], "application/json");
      assert.deepEqual(json(record.response?.body), { accepted: "o-1" });
      assert.deepEqual(json(responses[0]), json(record.response));
    });

    test("with two respond nodes the first answer wins", async () => {
      const compiled = flow(
        [hook, { id: "first", type: "respond", config: { body: "one" } }, { id: "second", type: "respond", config: { body: "two" } }],
        [
          { from: "in", to: "first" },
          { from: "in", to: "second" },
        ],
      );
      const responses: WebhookResponse[] = [];
      const record = await run(compiled, { input: [{}], onRespond: (r) => responses.push(r) });
      assert.equal(record.nodes.second!.status, "success");
      assert.equal(responses.length, 1);
      assert.equal(record.response?.body, responses[0]!.body);
      assert.ok(["one", "two"].includes(record.response?.body as string));
    });

    test("a run without a respond node has no response", async () => {
      const compiled = flow([hook], []);
      const responses: WebhookResponse[] = [];
      const record = await run(compiled, { input: [{}], onRespond: (r) => responses.push(r) });
      assert.equal(record.response, undefined);
      assert.equal(responses.length, 0);
    });
  });
});
