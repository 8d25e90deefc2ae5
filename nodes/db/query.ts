import { NodeError, credentialRef, defineNode, exprable, z, type Item } from "../sdk";
import { DATABASE_KINDS, openDatabase, requireCredential, syntaxFor } from "./connection";
import type { Syntax } from "./dialects/types";
import { parseSql, renderSql, type ParsedSql } from "./placeholders";
import type { Statement } from "./sql";
import { rowToItem } from "./values";

const ParamName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a parameter name uses letters, digits and _ only");

const QueryConfig = z
  .object({
    credential: credentialRef().meta({ title: "Connection", description: "A PostgreSQL, MySQL or SQLite credential" }),
    sql: z.string().trim().min(1, "write a SQL statement").meta({
      title: "SQL",
      description: "One statement. :name marks a value from Parameters, e.g. SELECT * FROM users WHERE email = :email",
    }),
    params: z.record(ParamName, exprable(z.unknown())).default({}).meta({
      title: "Parameters",
      description: "A value (or an expression over the item) for every :name in the SQL; always bound, never pasted into the SQL",
    }),
    readOnly: z.boolean().default(false).meta({
      title: "Read only",
      description: "Run inside a read-only transaction: the database refuses any change. Read-only queries also run in test runs",
    }),
    output: z.enum(["rows", "nested", "affected"]).default("rows").meta({
      title: "Output",
      description: "rows: one item per result row; nested: the input item with the rows under a field; affected: the input item with the count of changed rows",
    }),
    into: z.string().min(1).optional().meta({
      title: "Field",
      description: "Where nested rows or the affected count go (default rows / affectedRows)",
    }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const parsed = parseSql(config.sql);
    const dollar = parsed.positional.find((p) => p !== "?");
    if (dollar)
      ctx.addIssue({ code: "custom", path: ["sql"], message: `${dollar} placeholders are not used in Gate: write :name and add name to params` });
    for (const name of new Set(parsed.names))
      if (!Object.hasOwn(config.params, name))
        ctx.addIssue({ code: "custom", path: ["params"], message: `the SQL uses :${name}, but params has no entry "${name}"` });
  });

export default defineNode({
  type: "db.query",
  version: 1,
  category: "destination",
  title: "Database query",
  description:
    "Runs one SQL statement per item on PostgreSQL, MySQL/MariaDB or SQLite, with :name parameters bound from the item. Returns the result rows.",
  config: QueryConfig,
  credential: { kinds: DATABASE_KINDS, required: true },
  // Any statement may change data, so test runs show it instead of running it, unless it is
  // marked read-only: then the database itself guarantees it changes nothing, and it runs.
  sideEffects: true,
  // Test connection: the cheapest statement every dialect answers, read-only.
  async checkCredential({ credential, ctx }) {
    const db = await openDatabase(credential, ctx);
    await db.transaction((session) => session.query("SELECT 1", []), { readOnly: true });
  },
  prepare: ({ config }): ParsedSql => parseSql(config.sql),
  async runItem({ item, config, prepared, credential, ctx }) {
    const cred = requireCredential(credential);
    const statement = bindStatement(prepared, syntaxFor(cred), config.params);
    if (ctx.dryRun && !config.readOnly) return { main: { wouldRun: statement } };
    const db = await openDatabase(cred, ctx);
    const result = config.readOnly
      ? await db.transaction((session) => session.query(statement.sql, statement.params), { readOnly: true })
      : await db.query(statement.sql, statement.params);
    if (config.output === "affected") return { main: { ...item, [config.into ?? "affectedRows"]: result.affected } };
    const rows: Item[] = result.rows.map(rowToItem);
    if (config.output === "nested") return { main: { ...item, [config.into ?? "rows"]: rows } };
    return { main: rows };
  },
});

function bindStatement(parsed: ParsedSql, syntax: Syntax, params: Record<string, unknown>): Statement {
  if (syntax.questionMarkIsPlaceholder && parsed.positional.includes("?"))
    throw new NodeError(`the SQL contains a ? outside a string, which ${syntax.name} would read as a placeholder`, {
      code: "DB_SQL",
      hint: "use :name placeholders with an entry in params; put a literal ? inside quotes",
    });
  // An expression that finds nothing gives undefined: bound as NULL, like a missing value.
  return { sql: renderSql(parsed, syntax.placeholder), params: parsed.names.map((name) => params[name] ?? null) };
}
