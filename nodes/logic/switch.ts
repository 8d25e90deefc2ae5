import { defineNode, expression, truthy, z, type Item, type NodeContext, type CompiledExpression } from "../sdk";

const PortName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, "a port name is a letter followed by letters, digits, _ or -")
  .refine((p) => p !== "error" && p !== "default", "`error` and `default` are reserved port names");

export default defineNode({
  type: "logic.switch",
  version: 1,
  category: "logic",
  title: "Switch",
  description:
    "Routes each item to the port of the first case whose condition holds (or of every such case), else to `default`.",
  config: z
    .object({
      cases: z
        .array(z.object({ port: PortName, condition: expression() }).strict())
        .min(1, "add at least one case")
        .refine((cases) => new Set(cases.map((c) => c.port)).size === cases.length, "each case needs its own port name")
        .meta({ title: "Cases" }),
      mode: z.enum(["first", "all"]).default("first").meta({ title: "Match", description: "First matching case, or all" }),
    })
    .strict(),
  ports: { outputs: (config) => [...config.cases.map((c) => c.port), "default"] },
  prepare: ({ config, compile }) => config.cases.map((c) => ({ port: c.port, condition: compile(c.condition) })),
  runItem: async ({ item, prepared, config, ctx }) => {
    const matched: Record<string, Item> = {};
    for (const c of prepared) {
      if (!(await holds(c.condition, item, ctx))) continue;
      matched[c.port] = item;
      if (config.mode === "first") break;
    }
    return Object.keys(matched).length ? matched : { default: item };
  },
});

async function holds(condition: CompiledExpression, item: Item, ctx: NodeContext): Promise<boolean> {
  return truthy(await ctx.evaluate(condition, item));
}
