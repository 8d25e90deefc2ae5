import { NodeError, defineNode, expression, z, type Item } from "../sdk";

export default defineNode({
  type: "map.jsonata",
  version: 1,
  category: "mapping",
  title: "Transform with JSONata",
  description:
    "Replaces each item by the result of one JSONata expression. An object gives one item, an array of objects gives several, nothing drops the item.",
  config: z.object({ expr: expression().meta({ title: "Expression" }) }).strict(),
  prepare: ({ config, compile }) => compile(config.expr),
  runItem: ({ item, prepared, ctx }) => {
    const result = ctx.evaluate(prepared, item);
    return result instanceof Promise ? result.then(toItems) : toItems(result);
  },
});

function toItems(result: unknown): { main: Item | Item[] } | null {
  if (result === undefined || result === null) return null;
  if (Array.isArray(result)) {
    const bad = result.findIndex((r) => !isObject(r));
    if (bad >= 0) throw notObject(result[bad], `element ${bad} of the result`);
    return { main: result as Item[] };
  }
  if (!isObject(result)) throw notObject(result, "the result");
  return { main: result };
}

function isObject(value: unknown): value is Item {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function notObject(value: unknown, what: string): NodeError {
  return new NodeError(`${what} is ${JSON.stringify(value)}, but an item must be an object`, {
    code: "NOT_AN_OBJECT",
    hint: 'wrap the value in an object, e.g. {"value": …}',
  });
}
