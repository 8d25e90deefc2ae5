/**
 * Field names an expression reads from the item, checked against a sample: a name that is missing
 * but exists with other letter case is almost always a typo (`Email` for `email`).
 */
import type { ExprNode } from "jsonata";

/** Children that are evaluated against another context (filters, sort keys, groups): not the item. */
const OTHER_CONTEXT = new Set(["stages", "predicate", "group", "focus", "tuple", "terms"]);

/** Name paths read from the item: `contact.email` gives ["contact", "email"]. */
export function itemPaths(ast: ExprNode): string[][] {
  const out: string[][] = [];
  const visit = (node: unknown, key?: string) => {
    if (key && OTHER_CONTEXT.has(key)) return;
    if (Array.isArray(node)) return node.forEach((child) => visit(child));
    if (typeof node !== "object" || node === null) return;
    const n = node as ExprNode & Record<string, unknown>;
    // jsonata's typings omit "path", the node its parser makes for `a.b.c`.
    if ((n.type as string) === "path" && n.steps) {
      const steps = n.steps;
      // `$.a.b` reads from the item too; `$var.a` does not.
      const start = steps[0]?.type === "variable" && steps[0].value === "" ? 1 : 0;
      const names: string[] = [];
      for (const step of steps.slice(start)) {
        if (step.type !== "name") break;
        names.push(String(step.value));
      }
      if (names.length && (start === 1 || steps[0]?.type === "name")) out.push(names);
      // Later steps read from what the step before gave, not from the item.
      if (steps[0] && steps[0].type !== "name") visit(steps[0]);
      return;
    }
    for (const [k, child] of Object.entries(n)) if (typeof child === "object") visit(child, k);
  };
  visit(ast);
  return out;
}

/** "`Email` not found; did you mean `email`?" for each path whose name exists only in another case. */
export function caseHints(paths: string[][], item: unknown): string[] {
  const hints = new Set<string>();
  for (const path of paths) {
    let cursor: unknown = item;
    for (const name of path) {
      if (Array.isArray(cursor)) cursor = cursor.find((x) => typeof x === "object" && x !== null);
      if (typeof cursor !== "object" || cursor === null) break;
      const record = cursor as Record<string, unknown>;
      if (Object.hasOwn(record, name)) {
        cursor = record[name];
        continue;
      }
      const lower = name.toLowerCase();
      const match = Object.keys(record).find((k) => k.toLowerCase() === lower);
      if (match) hints.add(`\`${name}\` not found; did you mean \`${match}\`?`);
      break;
    }
  }
  return [...hints];
}
