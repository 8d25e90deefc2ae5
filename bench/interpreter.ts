/**
 * Interpreter overhead: a 6-node flow run in-process without persistence, against a hand-written
 * function doing the same work on the same items.
 */
import { compileExpression } from "../nodes/sdk";
import { compileFlow } from "../server/engine/flow/compile";
import { runFlow } from "../server/engine/interpreter";
import { loadDefaultRegistry } from "../server/engine/registry";
import type { BenchRow } from "./table";

const BATCH = 1000;

const flowDoc = {
  schemaVersion: 1,
  name: "bench",
  nodes: [
    { id: "in", type: "trigger.manual", config: {} },
    {
      id: "map",
      type: "map.fields",
      config: {
        fields: [
          { target: "name", expr: "first & ' ' & last", type: "string", required: true },
          { target: "email", expr: "$lowercase(email)", type: "string" },
          { target: "age", expr: "age", type: "integer" },
          { target: "city", expr: "address.city", type: "string" },
          { target: "total", expr: "price * quantity", type: "number" },
        ],
      },
    },
    { id: "adults", type: "transform.filter", config: { condition: "age >= 18" } },
    { id: "big", type: "logic.if", config: { condition: "total > 100" } },
    { id: "join", type: "logic.merge", config: { mode: "append" } },
    { id: "out", type: "respond", config: {} },
  ],
  edges: [
    { from: "in", to: "map" },
    { from: "map", to: "adults" },
    { from: "adults", to: "big" },
    { from: "big", fromPort: "true", to: "join", toPort: "a" },
    { from: "big", fromPort: "false", to: "join", toPort: "b" },
    { from: "join", to: "out" },
  ],
};

type Input = { first: string; last: string; email: string; age: number; address: { city: string }; price: number; quantity: number };

function makeItems(n: number): Input[] {
  return Array.from({ length: n }, (_, i) => ({
    first: `First${i}`,
    last: `Last${i}`,
    email: `User${i}@Example.com`,
    age: 10 + (i % 60),
    address: { city: i % 2 ? "Paris" : "Lima" },
    price: (i % 50) + 0.5,
    quantity: (i % 7) + 1,
  }));
}

/** The same work written by hand, as a developer would without Gate. */
function handWritten(items: Input[]): { status: number; body: unknown } {
  const big: unknown[] = [];
  const small: unknown[] = [];
  for (const it of items) {
    const out = {
      name: `${it.first} ${it.last}`,
      email: it.email.toLowerCase(),
      age: it.age,
      city: it.address.city,
      total: it.price * it.quantity,
    };
    if (!(out.age >= 18)) continue;
    (out.total > 100 ? big : small).push(out);
  }
  return { status: 200, body: [...big, ...small] };
}

async function timeLoop(seconds: number, fn: () => unknown): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let runs = 0;
  const start = performance.now();
  while (performance.now() < end) {
    await fn();
    runs++;
  }
  return runs / ((performance.now() - start) / 1000);
}

export async function benchInterpreter(): Promise<BenchRow[]> {
  const registry = await loadDefaultRegistry();
  const compiled = compileFlow(flowDoc, registry);
  const items = makeItems(BATCH) as unknown as Record<string, unknown>[];
  const sources = flowDoc.nodes.flatMap((n) => {
    const config = n.config as { fields?: { expr: string }[]; condition?: string };
    return [...(config.fields ?? []).map((f) => f.expr), ...(config.condition ? [config.condition] : [])];
  });
  const fastExprs = sources.every((source) => compileExpression(source).fast);
  const check = await runFlow(compiled, { input: items, mode: "live" });
  const expected = handWritten(items as unknown as Input[]).body as unknown[];
  if (check.status !== "success" || check.nodes.out!.itemsIn !== expected.length)
    throw new Error(`benchmark flow misbehaves: ${check.status} ${check.nodes.out?.itemsIn} vs ${expected.length}`);

  await timeLoop(1, () => runFlow(compiled, { input: items, mode: "live" }));
  const gate = await timeLoop(4, () => runFlow(compiled, { input: items, mode: "live" }));
  await timeLoop(1, () => handWritten(items as unknown as Input[]));
  const hand = await timeLoop(4, () => handWritten(items as unknown as Input[]));
  const perItemGateUs = 1e6 / (gate * BATCH);
  const perItemHandUs = 1e6 / (hand * BATCH);
  const perNodeOverheadUs = (perItemGateUs - perItemHandUs) / 6;
  return [
    {
      suite: "interpreter",
      metric: `6-node flow, batch of ${BATCH}${fastExprs ? "" : " (jsonata library: fast path off)"}`,
      gate,
      baseline: hand,
      baselineName: "hand-written JS",
      unit: "runs/s",
      better: "higher",
      target: "≥ 0.25×",
    },
    { suite: "interpreter", metric: "overhead per node per item", gate: perNodeOverheadUs, unit: "µs", better: "lower", target: "< 5 µs" },
  ];
}
