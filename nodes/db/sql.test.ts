import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mysqlSyntax } from "./dialects/mysql";
import { postgresSyntax } from "./dialects/postgres";
import { sqliteSyntax } from "./dialects/sqlite";
import { TableName, identifierProblem, quoteName } from "./identifiers";
import { insertStatement, readStatement, rowsPerStatement } from "./sql";

describe("db identifiers", () => {
  test("plain and schema-qualified names pass", () => {
    for (const name of ["orders", "sales.orders", "_t1", "Order_Lines"]) assert.equal(TableName.safeParse(name).success, true, name);
  });

  test("anything that could carry SQL is refused with the reason", () => {
    for (const name of ['t"; DROP TABLE x; --', "t; DROP", "a.b.c", "1table", "t-1", "t x", "`t`", "t'", ""]) {
      const parsed = TableName.safeParse(name);
      assert.equal(parsed.success, false, name);
      assert.match(parsed.error.issues[0]!.message, /not a valid name|too many dots/, name);
    }
    assert.match(identifierProblem("a.b", false)!, /without dots/);
  });

  test("quoting follows the dialect and refuses an unchecked name", () => {
    assert.equal(quoteName("sales.orders", postgresSyntax.quotePart), '"sales"."orders"');
    assert.equal(quoteName("sales.orders", mysqlSyntax.quotePart), "`sales`.`orders`");
    assert.throws(() => quoteName('x"y', sqliteSyntax.quotePart), /unchecked name/);
  });
});

describe("db statements", () => {
  const rows = [
    [1, "Ada"],
    [2, "Bob"],
  ];

  test("insert: one multi-row statement, every value bound", () => {
    const pg = insertStatement(postgresSyntax, { table: "people", columns: ["id", "name"], rows });
    assert.equal(pg.sql, 'INSERT INTO "people" ("id", "name") VALUES ($1, $2), ($3, $4)');
    assert.deepEqual(pg.params, [1, "Ada", 2, "Bob"]);
    const my = insertStatement(mysqlSyntax, { table: "people", columns: ["id", "name"], rows });
    assert.equal(my.sql, "INSERT INTO `people` (`id`, `name`) VALUES (?, ?), (?, ?)");
  });

  test("upsert clause per dialect", () => {
    const spec = { table: "people", columns: ["id", "name"], rows, conflictKeys: ["id"] };
    assert.match(insertStatement(postgresSyntax, spec).sql, /ON CONFLICT \("id"\) DO UPDATE SET "name" = EXCLUDED\."name"$/);
    assert.match(insertStatement(mysqlSyntax, spec).sql, /ON DUPLICATE KEY UPDATE `name` = VALUES\(`name`\)$/);
    assert.match(insertStatement(sqliteSyntax, spec).sql, /ON CONFLICT \("id"\) DO UPDATE SET "name" = excluded\."name"$/);
    const keysOnly = { ...spec, columns: ["id"], rows: [[1]] };
    assert.match(insertStatement(postgresSyntax, keysOnly).sql, /DO NOTHING$/);
    assert.match(insertStatement(mysqlSyntax, keysOnly).sql, /UPDATE `id` = VALUES\(`id`\)$/);
  });

  test("rows per statement stay under the driver's bound-value limit", () => {
    assert.equal(rowsPerStatement(sqliteSyntax, 10, 5000), 3276);
    assert.equal(rowsPerStatement(postgresSyntax, 3, 500), 500);
  });

  test("keyset read with and without a tie-break key", () => {
    const base = { from: { table: "events" }, columns: [], cursor: "seq", limit: 100 };
    assert.equal(readStatement(postgresSyntax, base).sql, 'SELECT * FROM "events" WHERE "seq" IS NOT NULL ORDER BY "seq" LIMIT 100');
    const after = readStatement(mysqlSyntax, { ...base, key: "id", after: { cursor: "2024-01-01", key: 7 } });
    assert.equal(
      after.sql,
      "SELECT * FROM `events` WHERE `seq` IS NOT NULL AND (`seq` > ? OR (`seq` = ? AND `id` > ?)) ORDER BY `seq`, `id` LIMIT 100",
    );
    assert.deepEqual(after.params, ["2024-01-01", "2024-01-01", 7]);
    const query = readStatement(sqliteSyntax, { ...base, from: { sql: "SELECT * FROM e WHERE kind = 'a';" } });
    assert.match(query.sql, /^SELECT \* FROM \(SELECT \* FROM e WHERE kind = 'a'\) AS gate_source WHERE/);
  });
});
