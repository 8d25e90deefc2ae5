import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseSql, renderSql } from "./placeholders";

const dollar = (i: number) => `$${i}`;

describe("db :name placeholders", () => {
  test("named parameters become the driver's markers, in order, repeats included", () => {
    const parsed = parseSql("SELECT * FROM t WHERE a = :a AND (b = :b OR b2 = :a)");
    assert.deepEqual(parsed.names, ["a", "b", "a"]);
    assert.equal(renderSql(parsed, dollar), "SELECT * FROM t WHERE a = $1 AND (b = $2 OR b2 = $3)");
    assert.equal(renderSql(parsed, () => "?"), "SELECT * FROM t WHERE a = ? AND (b = ? OR b2 = ?)");
  });

  test("text inside literals, quoted names, comments and dollar quotes is left alone", () => {
    const sql = [
      "SELECT ':no', 'it''s :no', \"col:no\", `x:no`, $$ :no $$, $tag$ :no $tag$ -- :no",
      "/* :no */ FROM t WHERE v = :yes AND w = 'a\\':no'",
    ].join("\n");
    const parsed = parseSql(sql);
    assert.deepEqual(parsed.names, ["yes"]);
    assert.equal(renderSql(parsed, dollar), sql.replace(":yes", "$1"));
  });

  test("casts, assignments and time literals are not parameters", () => {
    const parsed = parseSql("SELECT x::text, @v := 1, a:b FROM t WHERE at = '10:30' AND id = :id");
    assert.deepEqual(parsed.names, ["id"]);
  });

  test("driver markers outside literals are reported, inside literals they are not", () => {
    assert.deepEqual(parseSql("SELECT * FROM t WHERE a = $1 AND b = ? AND c = '?' AND d = '$2'").positional, ["$1", "?"]);
  });

  test("an unterminated literal swallows the rest instead of inventing parameters", () => {
    assert.deepEqual(parseSql("SELECT 'open :x").names, []);
  });
});
