/**
 * One streaming run in its own process, so that its peak RSS is its own: N generated items from a
 * source node through map.fields + filter. Prints one JSON line.
 */
import { defineNode, z } from "../nodes/sdk";
import { compileFlow } from "../server/engine/flow/compile";
import { runFlow } from "../server/engine/interpreter";
import { loadDefaultRegistry } from "../server/engine/registry";

const total = Number(process.argv[2] ?? 100_000);
const batchSize = 1000;

const generator = defineNode({
  type: "bench.generate",
  version: 1,
  category: "source",
  title: "Generate items",
  description: "bench source",
  config: z.object({ count: z.number().int() }),
  ports: { inputs: ["main"] },
  run: ({ config }) => ({
    async *[Symbol.asyncIterator]() {
      for (let start = 0; start < config.count; start += batchSize) {
        const batch = [];
        for (let i = start; i < Math.min(config.count, start + batchSize); i++)
          batch.push({ id: i, first: `F${i}`, last: `L${i}`, amount: String(i % 1000), country: i % 3 ? "FR" : "PE" });
        yield { main: batch };
        // A real source waits on I/O between batches; yielding to the event loop models that.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  }),
});

const registry = await loadDefaultRegistry();
registry.register(generator, "bench");
const flow = compileFlow(
  {
    schemaVersion: 1,
    name: "stream",
    nodes: [
      { id: "in", type: "trigger.manual", config: {} },
      { id: "gen", type: "bench.generate", config: { count: total } },
      {
        id: "map",
        type: "map.fields",
        config: {
          fields: [
            { target: "id", expr: "id", type: "integer" },
            { target: "name", expr: "first & ' ' & last", type: "string" },
            { target: "amount", expr: "amount", type: "number" },
            { target: "country", expr: "country" },
          ],
        },
      },
      { id: "keep", type: "transform.filter", config: { condition: "amount >= 500" } },
    ],
    edges: [
      { from: "in", to: "gen" },
      { from: "gen", to: "map" },
      { from: "map", to: "keep" },
    ],
    settings: { timeoutMs: 3_600_000 },
  },
  registry,
);
const started = performance.now();
const record = await runFlow(flow, { input: [{}], mode: "live" });
const seconds = (performance.now() - started) / 1000;
if (record.status !== "success") throw new Error(JSON.stringify(record.error));
process.stdout.write(
  `${JSON.stringify({ items: total, passed: record.nodes.keep!.itemsOut, itemsPerSec: total / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
