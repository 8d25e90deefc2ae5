import { defineNode, expression, truthy, z } from "../sdk";

export default defineNode({
  type: "transform.filter",
  version: 1,
  category: "transform",
  title: "Filter",
  description: "Passes the items for which the condition is true (JSONata truthiness); drops the rest.",
  config: z.object({ condition: expression().meta({ title: "Condition", description: "e.g. age >= 18" }) }).strict(),
  prepare: ({ config, compile }) => compile(config.condition),
  runItem: ({ item, prepared, ctx }) => {
    const result = ctx.evaluate(prepared, item);
    if (result instanceof Promise) return result.then((r) => (truthy(r) ? "main" : null));
    return truthy(result) ? "main" : null;
  },
});
