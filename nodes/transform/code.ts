import { code, defineNode, z, type PortItems } from "../sdk";
import { sharedSandbox } from "./sandbox/client";

const Config = z
  .object({
    code: code().meta({
      title: "JavaScript",
      description:
        "The body of a function. All items: it receives `items` and returns an array of items. Each item: it receives `item` and `index` and returns an item, an array of items, or null to drop it. `await` works; `console.log` goes to the run log.",
    }),
    mode: z
      .enum(["all", "each"])
      .default("all")
      .meta({ title: "Run once for", description: "`all`: once with every item of the batch; `each`: once per item" }),
    timeoutMs: z
      .number()
      .int()
      .min(10)
      .max(30_000)
      .default(1000)
      .meta({ title: "Time limit (ms)", description: "For the whole batch; the code is stopped past it" }),
    memoryLimitMb: z
      .number()
      .int()
      .min(8)
      .max(256)
      .default(64)
      .meta({ title: "Memory limit (MB)", description: "Heap for the code and its copy of the items" }),
  })
  .strict();

export default defineNode({
  type: "transform.code",
  version: 1,
  category: "transform",
  title: "Code",
  description:
    "Runs your JavaScript on the items, in a sandbox with no access to files, network or Gate itself, within a time and memory limit.",
  config: Config,
  async run({ items, config, ctx }) {
    const result = await sharedSandbox().run({
      code: config.code,
      mode: config.mode,
      items,
      timeoutMs: config.timeoutMs,
      memoryLimitMb: config.memoryLimitMb,
      signal: ctx.signal,
    });
    for (const line of result.logs) ctx.log[line.level](line.text, { source: "code" });
    if (result.droppedLogs) ctx.log.warn(`${result.droppedLogs} more console lines were dropped`, { source: "code" });
    const out: PortItems = result.items.length ? { main: result.items } : {};
    return out;
  },
});
