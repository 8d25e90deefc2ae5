/**
 * The interpreter benchmark's workload: a 6-node flow and the same work written by hand, on the
 * same generated items. Shared by the parent (which checks both agree) and the measuring child.
 */
import { compileFlow } from "../server/engine/flow/compile";
import { runFlow } from "../server/engine/interpreter";
import { loadDefaultRegistry } from "../server/engine/registry";

export const BATCH = 1000;

export const flowDoc = {
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

export type Input = { first: string; last: string; email: string; age: number; address: { city: string }; price: number; quantity: number };

export function makeItems(n: number): Input[] {
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
export function handWritten(items: Input[]): { status: number; body: unknown } {
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

/** One unit of work per side: a run of the flow, or one call of the hand-written function. */
export async function workload(side: "gate" | "hand"): Promise<() => unknown> {
  const items = makeItems(BATCH);
  if (side === "hand") return () => handWritten(items);
  const compiled = compileFlow(flowDoc, await loadDefaultRegistry());
  const input = items as unknown as Record<string, unknown>[];
  return () => runFlow(compiled, { input, mode: "live" });
}
