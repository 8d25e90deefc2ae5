import { NodeError, type Item } from "../sdk";
import { identifierProblem } from "./identifiers";

/**
 * Rows that share one column list, with the batch index of the item each came from. The values of
 * all rows follow each other in one list (row `i` is `values[i * columns.length …]`), which is the
 * order a multi-row INSERT binds them in: statements slice it instead of copying row by row.
 */
export interface RowGroup {
  columns: string[];
  values: unknown[];
  itemIndexes: number[];
}

/**
 * "All fields" mode: every field of an item becomes a column. Items with different fields cannot
 * share one multi-row INSERT, so rows are grouped by their column list (in the items' order).
 */
export function rowsFromItems(items: readonly Item[], conflictKeys: readonly string[]): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  // Items of a batch nearly always share their fields: a column list seen before (the last one
  // compared key by key, others by signature) has been checked already and is not checked again.
  let last: RowGroup | undefined;
  // The first group (usually the only one) is sized for every remaining item up front, instead of
  // growing (and copying) its list as rows arrive; it is trimmed at the end.
  let first: RowGroup | undefined;
  let firstFilled = 0;
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const columns = definedKeys(item);
    let group = last !== undefined && sameColumns(last.columns, columns) ? last : undefined;
    if (group === undefined) {
      // A field name holding the separator could match another list's signature: compare for real.
      const found = groups.get(columns.join("\u0000"));
      if (found !== undefined && sameColumns(found.columns, columns)) group = found;
    }
    if (group === undefined) {
      checkColumns(columns, conflictKeys, index);
      group = { columns, values: first ? [] : new Array<unknown>((items.length - index) * columns.length), itemIndexes: [] };
      first ??= group;
      groups.set(columns.join("\u0000"), group);
    }
    const { values } = group;
    if (group === first) for (let c = 0; c < columns.length; c++) values[firstFilled++] = item[columns[c]!];
    else for (let c = 0; c < columns.length; c++) values.push(item[columns[c]!]);
    group.itemIndexes.push(index);
    last = group;
  }
  if (first) first.values.length = firstFilled;
  return [...groups.values()];
}

function definedKeys(item: Item): string[] {
  const keys = Object.keys(item);
  for (const key of keys) if (item[key] === undefined) return keys.filter((k) => item[k] !== undefined);
  return keys;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkColumns(columns: readonly string[], conflictKeys: readonly string[], index: number): void {
  for (const column of columns) {
    const problem = identifierProblem(column, false);
    if (problem)
      throw new NodeError(`item ${index}: field ${problem.replace(/^"[^"]*"/, `"${column}"`)}, so it cannot be a column`, {
        code: "DB_BAD_COLUMN",
        hint: "rename the field with a mapping before this node, or choose the mapped columns mode",
        details: [{ item: index, field: column }],
      });
  }
  if (columns.length === 0) throw new NodeError(`item ${index} has no fields to write`, { code: "DB_BAD_COLUMN", details: [{ item: index }] });
  const missing = conflictKeys.find((key) => !columns.includes(key));
  if (missing)
    throw new NodeError(`item ${index} has no field "${missing}", which the upsert needs to find the existing row`, {
      code: "DB_BAD_COLUMN",
      hint: "every item must carry all conflict keys",
      details: [{ item: index, field: missing }],
    });
}

/** Mapped mode: the same columns for every item; values already evaluated per item. */
export function rowsFromMapping(mapped: readonly Record<string, unknown>[], columns: readonly string[]): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  mapped.forEach((values, index) => addRow(groups, [...columns], columns.map((c) => values[c]), index));
  return [...groups.values()];
}

function addRow(groups: Map<string, RowGroup>, columns: string[], row: unknown[], index: number) {
  const signature = columns.join("\u0000");
  let group = groups.get(signature);
  if (!group) groups.set(signature, (group = { columns, values: [], itemIndexes: [] }));
  for (const value of row) group.values.push(value);
  group.itemIndexes.push(index);
}
