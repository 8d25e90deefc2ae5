import { NodeError, defineNode, z, type Item } from "../sdk";

export default defineNode({
  type: "logic.merge",
  version: 1,
  category: "logic",
  title: "Merge",
  description:
    "Joins two branches: append (a's items then b's), by position (item i of a with item i of b) or by key (items of a and b with equal key values).",
  config: z
    .object({
      mode: z.enum(["append", "byPosition", "byKey"]).default("append").meta({ title: "Mode" }),
      key: z.string().min(1).optional().meta({ title: "Key field", description: "For by key: the field both sides share" }),
    })
    .strict()
    .refine((c) => c.mode !== "byKey" || c.key, { message: "by key needs a key field", path: ["key"] }),
  ports: { inputs: ["a", "b"] },
  run: ({ inputs, config }) => {
    const a = inputs.a ?? [];
    const b = inputs.b ?? [];
    switch (config.mode) {
      case "append":
        // concat, not spread: spreading goes through the iterator protocol item by item.
        return { main: a.concat(b) };
      case "byPosition":
        return { main: Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({ ...a[i], ...b[i] })) };
      case "byKey":
        return { main: joinByKey(a, b, config.key!) };
    }
  },
});

function joinByKey(a: Item[], b: Item[], key: string): Item[] {
  const byKey = new Map<string, Item>();
  for (const item of b) {
    const k = keyOf(item, key);
    if (k !== undefined) byKey.set(k, item);
  }
  return a.map((item) => {
    const k = keyOf(item, key);
    const match = k === undefined ? undefined : byKey.get(k);
    return match ? { ...item, ...match } : item;
  });
}

function keyOf(item: Item, key: string): string | undefined {
  const k = item[key];
  if (k === undefined || k === null) return undefined;
  if (typeof k === "string") return k;
  if (typeof k === "number" || typeof k === "boolean") return String(k);
  throw new NodeError(`key field "${key}" holds ${JSON.stringify(k)}; keys must be text or numbers`, { code: "BAD_KEY" });
}
