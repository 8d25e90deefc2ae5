import { NodeError, credentialRef, defineNode, z, type NodeContext, type PortItems } from "../sdk";
import { DATABASE_KINDS, openDatabase, requireCredential } from "./connection";
import type { Database } from "./dialects/types";
import { ColumnName, TableName } from "./identifiers";
import { parseSql } from "./placeholders";
import { fingerprint } from "./pool";
import { readStatement, type ReadSpec } from "./sql";
import { rowToItem } from "./values";

const Scalar = z.union([z.string(), z.number()]);

const ReadConfig = z
  .object({
    credential: credentialRef().meta({ title: "Connection", description: "A PostgreSQL, MySQL or SQLite credential" }),
    table: TableName.optional(),
    sql: z.string().trim().min(1).optional().meta({
      title: "Query",
      description: "Instead of a table: a SELECT whose rows are read (it becomes a subquery; no parameters)",
    }),
    columns: z.array(ColumnName).default([]).meta({ title: "Columns", description: "Columns to read; empty reads all" }),
    cursor: ColumnName.meta({
      title: "Cursor column",
      description: "An increasing column (id, updated_at): each run reads only rows with a larger value than the last run saw",
    }),
    key: ColumnName.optional().meta({
      title: "Tie-break column",
      description: "A unique column (the primary key) that orders rows with the same cursor value; needed when the cursor is not unique",
    }),
    batchSize: z.number().int().min(1).max(10_000).default(500).meta({ title: "Rows per batch" }),
    initialWatermark: Scalar.optional().meta({
      title: "Start after",
      description: "On the first run, read only rows whose cursor is larger than this",
    }),
  })
  .strict()
  .superRefine((config, ctx) => {
    if ((config.table === undefined) === (config.sql === undefined))
      ctx.addIssue({ code: "custom", path: ["table"], message: "set either a table or a query, not both" });
    if (config.sql !== undefined && parseSql(config.sql).names.length > 0)
      ctx.addIssue({ code: "custom", path: ["sql"], message: "the query of a database read takes no :name parameters" });
  });
type ReadConfig = z.output<typeof ReadConfig>;

/** What is kept between runs: where the last processed batch ended, and what it was read from. */
const Watermark = z.object({ source: z.string(), cursor: Scalar, key: Scalar.optional() });
type Watermark = z.infer<typeof Watermark>;

export default defineNode({
  type: "db.read",
  version: 1,
  category: "source",
  title: "Read from database",
  description:
    "Reads new rows of a table or query in batches, ordered by a cursor column; each run continues where the last successful run stopped.",
  config: ReadConfig,
  credential: { kinds: DATABASE_KINDS, required: true },
  /**
   * Connects and reads the watermark before streaming, so a connection failure is an ordinary,
   * retryable node error. The watermark moves only after a batch has gone through the rest of the
   * flow (the generator resumes when the next batch is pulled), and the host commits it only when
   * the whole run succeeds: a failed run reads the same rows again.
   */
  async run({ config, credential, ctx }) {
    const db = await openDatabase(requireCredential(credential), ctx);
    const source = fingerprint({ table: config.table, sql: config.sql, cursor: config.cursor, key: config.key });
    const start = await startingPoint(config, ctx, source);
    return batches(db, config, ctx, source, start);
  },
});

function stateKey(ctx: NodeContext): string {
  return `${ctx.nodeId}:watermark`;
}

async function startingPoint(config: ReadConfig, ctx: NodeContext, source: string): Promise<ReadSpec["after"]> {
  const stored = Watermark.safeParse(await ctx.state.get(stateKey(ctx)));
  if (stored.success && stored.data.source === source) return { cursor: stored.data.cursor, key: stored.data.key };
  if (stored.success) ctx.log.warn("the table, query or cursor changed since the last run: reading from the start again", { node: ctx.nodeId });
  return config.initialWatermark === undefined ? undefined : { cursor: config.initialWatermark };
}

async function* batches(db: Database, config: ReadConfig, ctx: NodeContext, source: string, start: ReadSpec["after"]): AsyncIterable<PortItems> {
  const from = config.table !== undefined ? { table: config.table } : { sql: config.sql! };
  // The watermark is read from the rows, so the cursor and key are always selected.
  const columns = config.columns.length
    ? [...new Set([...config.columns, config.cursor, ...(config.key ? [config.key] : [])])]
    : [];
  let after = start;
  for (;;) {
    if (ctx.signal.aborted) throw new NodeError("the read was cancelled", { code: "CANCELLED" });
    const statement = readStatement(db.syntax, { from, columns, cursor: config.cursor, key: config.key, after, limit: config.batchSize });
    const { rows } = await db.query(statement.sql, statement.params);
    if (rows.length === 0) return;
    const items = rows.map(rowToItem);
    yield { main: items };
    const last = items[items.length - 1]!;
    after = watermarkOf(last, config);
    const saved: Watermark = { source, cursor: after.cursor as string | number, ...(config.key ? { key: after.key as string | number } : {}) };
    ctx.state.set(stateKey(ctx), saved);
    if (rows.length < config.batchSize) return;
  }
}

function watermarkOf(row: Record<string, unknown>, config: ReadConfig): NonNullable<ReadSpec["after"]> {
  const check = (column: string) => {
    const value = row[column];
    if (typeof value !== "string" && typeof value !== "number")
      throw new NodeError(`column "${column}" is missing from the rows or is not a number, text or date`, {
        code: "DB_BAD_CURSOR",
        hint: "the cursor (and tie-break) column must be in the result and hold numbers, text or dates",
      });
    return value;
  };
  return { cursor: check(config.cursor), ...(config.key ? { key: check(config.key) } : {}) };
}
