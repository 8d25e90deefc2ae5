import { defineNode, expression, truthy, z } from "../sdk";

export default defineNode({
  type: "logic.if",
  version: 1,
  category: "logic",
  title: "If",
  description: "Sends each item to `true` or `false` by a JSONata condition.",
  config: z.object({ condition: expression().meta({ title: "Condition" }) }).strict(),
  ports: { outputs: ["true", "false"] },
  prepare: ({ config, compile }) => compile(config.condition),
  runItem: ({ item, prepared, ctx }) => {
    const result = ctx.evaluate(prepared, item);
    if (result instanceof Promise) return result.then((r) => (truthy(r) ? "true" : "false"));
    return truthy(result) ? "true" : "false";
  },
});
