import { z } from "../sdk";

/**
 * Table and column names end up in SQL text (they cannot be bound like values), so they are held
 * to a strict shape and then quoted per dialect. The shape alone already rules out quotes,
 * spaces and semicolons; the quoting keeps reserved words and mixed case working.
 */
const PART = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PART = 63; // PostgreSQL's limit, the smallest of the three

export function identifierProblem(name: string, allowSchema: boolean): string | undefined {
  const parts = name.split(".");
  if (parts.length > (allowSchema ? 2 : 1))
    return allowSchema
      ? `"${name}" has too many dots: use table or schema.table`
      : `"${name}" must be a plain column name without dots`;
  for (const part of parts) {
    if (!PART.test(part))
      return `"${name}" is not a valid name: use letters, digits and _ only, not starting with a digit${allowSchema ? " (optionally schema.table)" : ""}`;
    if (part.length > MAX_PART) return `"${name}" is longer than ${MAX_PART} characters`;
  }
  return undefined;
}

function identifier(allowSchema: boolean) {
  return z.string().superRefine((name, ctx) => {
    const problem = identifierProblem(name, allowSchema);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** A table, optionally qualified by its schema (PostgreSQL) or database (MySQL, SQLite): `sales.orders`. */
export const TableName = identifier(true).meta({
  title: "Table",
  description: "Table name, optionally schema.table; letters, digits and _ only, used exactly as written",
});

export const ColumnName = identifier(false).meta({ title: "Column" });

/** Quote a checked name part by part; throws when a name slipped past validation (it never should). */
export function quoteName(name: string, quotePart: (part: string) => string, allowSchema = true): string {
  const problem = identifierProblem(name, allowSchema);
  if (problem) throw new Error(`refusing to quote an unchecked name: ${problem}`);
  return name.split(".").map(quotePart).join(".");
}
