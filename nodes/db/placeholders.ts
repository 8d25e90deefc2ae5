/**
 * Gate's one placeholder syntax is `:name`. It is translated to each driver's own markers
 * (`$1` for PostgreSQL, `?` for MySQL and SQLite), so a statement reads the same on every database
 * and a value is always bound, never spliced into the SQL text.
 *
 * The scanner skips string literals, quoted identifiers, comments, PostgreSQL dollar-quoted bodies
 * and `::` casts, so `':not_a_param'` and `x::text` stay as written.
 */
export interface ParsedSql {
  /** The SQL text between placeholders: `parts.length === names.length + 1`. */
  readonly parts: readonly string[];
  /** Parameter names in order of appearance; a name used twice appears twice. */
  readonly names: readonly string[];
  /** Driver-specific markers found outside literals (`?`, `$1`), which Gate does not use. */
  readonly positional: readonly string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

export function parseSql(sql: string): ParsedSql {
  const parts: string[] = [];
  const names: string[] = [];
  const positional: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'" || ch === '"' || ch === "`") i = skipQuoted(sql, i, ch);
    else if (ch === "-" && next === "-") i = skipUntil(sql, i + 2, "\n");
    else if (ch === "/" && next === "*") i = skipUntil(sql, i + 2, "*/");
    else if (ch === "$") {
      const tag = DOLLAR_TAG.exec(sql.slice(i));
      if (tag) i = skipUntil(sql, i + tag[0].length, tag[0]);
      else if (next !== undefined && /[0-9]/.test(next)) {
        let end = i + 1;
        while (end < sql.length && /[0-9]/.test(sql[end]!)) end++;
        positional.push(sql.slice(i, end));
        i = end;
      } else i++;
    } else if (ch === "?") {
      positional.push("?");
      i++;
    } else if (ch === ":" && (next === ":" || next === "=")) i += 2;
    else if (ch === ":" && next !== undefined && NAME_START.test(next) && !isNameChar(sql[i - 1])) {
      let end = i + 1;
      while (end < sql.length && NAME_CHAR.test(sql[end]!)) end++;
      parts.push(sql.slice(start, i));
      names.push(sql.slice(i + 1, end));
      start = i = end;
    } else i++;
  }
  parts.push(sql.slice(start));
  return { parts, names, positional };
}

/** The SQL with every `:name` replaced by the driver's marker for its position (1-based). */
export function renderSql(parsed: ParsedSql, placeholder: (index: number) => string): string {
  let out = parsed.parts[0]!;
  for (let i = 0; i < parsed.names.length; i++) out += placeholder(i + 1) + parsed.parts[i + 1]!;
  return out;
}

function isNameChar(ch: string | undefined): boolean {
  return ch !== undefined && NAME_CHAR.test(ch);
}

/** Index just past a quoted run; doubled quotes and backslash escapes stay inside it. */
function skipQuoted(sql: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "\\" && quote !== "`") i += 2;
    else if (ch === quote && sql[i + 1] === quote) i += 2;
    else if (ch === quote) return i + 1;
    else i++;
  }
  return sql.length;
}

function skipUntil(sql: string, from: number, end: string): number {
  const at = sql.indexOf(end, from);
  return at === -1 ? sql.length : at + end.length;
}
