import { NodeError, credentialRef, defineNode, exprable, z, type Item } from "../sdk";
import { DATABASE_KINDS, openDatabase, requireCredential, syntaxFor } from "./connection";
import type { Session, Syntax } from "./dialects/types";
import { ColumnName, TableName, identifierProblem } from "./identifiers";
import { rowsFromItems, rowsFromMapping, type RowGroup } from "./rows";
import { insertSql, insertStatementOf, rowsPerStatement } from "./sql";

const WriteConfig = z
  .object({
    credential: credentialRef().meta({ title: "Connection", description: "A PostgreSQL, MySQL or SQLite credential" }),
    table: TableName,
    fields: z.enum(["all", "mapped"]).default("all").meta({
      title: "Columns from",
      description: "all: every field of the item goes to the column of the same name; mapped: only the columns listed",
    }),
    columns: z.record(z.string(), exprable(z.unknown())).default({}).meta({
      title: "Columns",
      description: "column ← value (a literal or an expression over the item); used when Columns from is mapped",
    }),
    mode: z.enum(["insert", "upsert"]).default("insert").meta({
      title: "Mode",
      description: "insert adds rows; upsert updates the row that has the same conflict keys, or adds it",
    }),
    conflictKeys: z.array(ColumnName).default([]).meta({
      title: "Conflict keys",
      description: "Columns of a unique key or primary key that identify a row (upsert only)",
    }),
    batchSize: z.number().int().min(1).max(10_000).default(500).meta({ title: "Rows per statement" }),
    output: z.enum(["items", "summary"]).default("items").meta({
      title: "Output",
      description: "items: the input items, passed on once written; summary: one item with the counts",
    }),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.mode === "upsert" && config.conflictKeys.length === 0)
      ctx.addIssue({ code: "custom", path: ["conflictKeys"], message: "an upsert needs at least one conflict key" });
    for (const column of Object.keys(config.columns)) {
      const problem = identifierProblem(column, false);
      if (problem) ctx.addIssue({ code: "custom", path: ["columns", column], message: problem });
    }
    if (config.fields === "mapped") {
      const names = Object.keys(config.columns);
      if (names.length === 0) ctx.addIssue({ code: "custom", path: ["columns"], message: "list at least one column, or write all fields" });
      config.conflictKeys.forEach((key, i) => {
        if (!names.includes(key))
          ctx.addIssue({ code: "custom", path: ["conflictKeys", i], message: `conflict key "${key}" is not one of the columns` });
      });
    }
  });
type WriteConfig = z.output<typeof WriteConfig>;

/**
 * One statement and the batch indexes of the items whose rows it carries. Its values are cut from
 * the group only when it runs, so a large batch holds its values once, not twice.
 */
interface PlannedStatement {
  sql: string;
  group: RowGroup;
  /** The group's row this statement starts at. */
  firstRow: number;
  itemIndexes: number[];
}

function paramsOf({ group, firstRow, itemIndexes }: PlannedStatement): unknown[] {
  const width = group.columns.length;
  if (firstRow === 0 && itemIndexes.length === group.itemIndexes.length) return group.values;
  return group.values.slice(firstRow * width, (firstRow + itemIndexes.length) * width);
}

export default defineNode({
  type: "db.write",
  version: 1,
  category: "destination",
  title: "Write to database",
  description:
    "Inserts or upserts items as rows into a table of PostgreSQL, MySQL/MariaDB or SQLite: multi-row statements, all of a batch in one transaction.",
  config: WriteConfig,
  credential: { kinds: DATABASE_KINDS, required: true },
  sideEffects: true,
  /**
   * All or nothing per batch: the batch's statements share one transaction. When a row is refused
   * nothing of the batch stays written, and every item of the batch goes to the `error` port with
   * a message naming the item (and column) that failed, so the batch can be fixed and replayed whole.
   */
  async run(args) {
    const { items, config, credential, ctx } = args;
    const cred = requireCredential(credential);
    const syntax = syntaxFor(cred);
    const groups = await buildRows(items, config, (item) => args.configFor(item));
    const statements = plan(syntax, config, groups);
    if (ctx.dryRun) return { main: statements.map((statement) => ({ wouldRun: { sql: statement.sql, params: paramsOf(statement) } })) };
    if (items.length === 0) return { main: [] };
    const db = await openDatabase(cred, ctx);
    const affected = await db.transaction(async (session) => {
      let total = 0;
      for (const statement of statements) {
        if (ctx.signal.aborted) throw new NodeError("the run was cancelled before the batch was written", { code: "CANCELLED" });
        total += await runPinpointed(session, syntax, config, statement);
      }
      return total;
    });
    if (config.output === "summary")
      return { main: [{ table: config.table, mode: config.mode, items: items.length, statements: statements.length, affectedRows: affected }] };
    return { main: items };
  },
});

async function buildRows(items: Item[], config: WriteConfig, configFor: (item: Item) => Promise<WriteConfig>): Promise<RowGroup[]> {
  if (config.fields === "all") return rowsFromItems(items, config.mode === "upsert" ? config.conflictKeys : []);
  const mapped: Record<string, unknown>[] = [];
  for (const item of items) mapped.push((await configFor(item)).columns);
  return rowsFromMapping(mapped, Object.keys(config.columns));
}

function plan(syntax: Syntax, config: WriteConfig, groups: RowGroup[]): PlannedStatement[] {
  const conflictKeys = config.mode === "upsert" ? config.conflictKeys : undefined;
  const out: PlannedStatement[] = [];
  for (const group of groups) {
    const width = group.columns.length;
    const size = rowsPerStatement(syntax, width, config.batchSize);
    const count = group.itemIndexes.length;
    for (let start = 0; start < count; start += size) {
      const itemIndexes = group.itemIndexes.slice(start, start + size);
      const sql = insertSql(syntax, config.table, group.columns, itemIndexes.length, conflictKeys);
      out.push({ sql, group, firstRow: start, itemIndexes });
    }
  }
  return out;
}

const ROW_SPECIFIC = new Set(["DB_CONSTRAINT", "DB_BAD_VALUE"]);

/**
 * Run one multi-row statement. If the database refuses a row, the statement is undone to a
 * savepoint and replayed row by row to find which item it was: drivers rarely say (MySQL names a
 * row, PostgreSQL and SQLite do not). This costs extra only on failure, and the whole transaction
 * is rolled back afterwards anyway.
 */
async function runPinpointed(session: Session, syntax: Syntax, config: WriteConfig, statement: PlannedStatement): Promise<number> {
  await session.query("SAVEPOINT gate_rows", []);
  try {
    const { affected } = await session.query(statement.sql, paramsOf(statement));
    await session.query("RELEASE SAVEPOINT gate_rows", []);
    return affected;
  } catch (error) {
    if (!(error instanceof NodeError) || !ROW_SPECIFIC.has(error.code) || statement.itemIndexes.length === 0) throw error;
    await session.query("ROLLBACK TO SAVEPOINT gate_rows", []);
    const conflictKeys = config.mode === "upsert" ? config.conflictKeys : undefined;
    const { group, firstRow } = statement;
    const width = group.columns.length;
    for (let i = 0; i < statement.itemIndexes.length; i++) {
      const row = group.values.slice((firstRow + i) * width, (firstRow + i + 1) * width);
      const single = insertStatementOf(syntax, { table: config.table, columns: group.columns, conflictKeys }, row);
      try {
        await session.query(single.sql, single.params);
      } catch (rowError) {
        throw blame(rowError instanceof NodeError ? rowError : error, statement.itemIndexes[i]!);
      }
    }
    throw error;
  }
}

function blame(error: NodeError, itemIndex: number): NodeError {
  const found = (error.details?.[0] ?? {}) as { column?: string };
  const column = found.column ? `, column "${found.column}"` : "";
  return new NodeError(`item ${itemIndex}${column}: ${error.message}; nothing of this batch was written`, {
    code: error.code,
    hint: error.hint,
    retryable: error.retryable,
    details: [{ ...found, item: itemIndex }],
  });
}
