import { NodeError } from "../sdk";

/** What a database error message may name, and what it must never show. */
export interface ErrorScope {
  /** The credential's name, for hints. */
  credential: string;
  /** `host:port` or the SQLite file, as the credential names it. */
  target: string;
  /** Values scrubbed from every message (passwords). */
  secrets: readonly string[];
}

interface DriverError {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
  detail?: unknown;
  column?: unknown;
}

type Category = "unreachable" | "auth" | "notFound" | "busy" | "readOnly" | "constraint" | "value" | "sql" | "other";

const NETWORK = new Set([
  "ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE",
  "PROTOCOL_CONNECTION_LOST", "PROTOCOL_SEQUENCE_TIMEOUT",
]);
const MYSQL: Record<string, Category> = {
  ER_ACCESS_DENIED_ERROR: "auth", ER_DBACCESS_DENIED_ERROR: "auth", ER_BAD_DB_ERROR: "notFound",
  ER_LOCK_DEADLOCK: "busy", ER_LOCK_WAIT_TIMEOUT: "busy", ER_CON_COUNT_ERROR: "busy", ER_TOO_MANY_USER_CONNECTIONS: "busy",
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: "readOnly",
  ER_DUP_ENTRY: "constraint", ER_BAD_NULL_ERROR: "constraint", ER_NO_REFERENCED_ROW_2: "constraint",
  ER_ROW_IS_REFERENCED_2: "constraint", ER_NO_DEFAULT_FOR_FIELD: "constraint",
  ER_DATA_TOO_LONG: "value", ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: "value", ER_WARN_DATA_OUT_OF_RANGE: "value",
  ER_TRUNCATED_WRONG_VALUE: "value", ER_INVALID_JSON_TEXT: "value",
  ER_PARSE_ERROR: "sql", ER_NO_SUCH_TABLE: "sql", ER_BAD_FIELD_ERROR: "sql", ER_WRONG_VALUE_COUNT_ON_ROW: "sql",
  ER_NON_UNIQ_ERROR: "sql", ER_WRONG_ARGUMENTS: "sql",
};
const POSTGRES: Record<string, Category> = {
  "28P01": "auth", "28000": "auth", "3D000": "notFound", "25006": "readOnly",
  "40001": "busy", "40P01": "busy", "55P03": "busy", "53300": "busy", "57P01": "busy", "57P02": "busy", "57P03": "busy",
};
const POSTGRES_CLASS: Record<string, Category> = { "23": "constraint", "22": "value", "42": "sql", "08": "unreachable" };

function categorize(code: string, message: string): Category {
  if (NETWORK.has(code)) return "unreachable";
  if (MYSQL[code]) return MYSQL[code];
  if (POSTGRES[code]) return POSTGRES[code];
  if (/^[0-9A-Z]{5}$/.test(code) && POSTGRES_CLASS[code.slice(0, 2)]) return POSTGRES_CLASS[code.slice(0, 2)]!;
  if (code === "SQLITE_CANTOPEN" || /Cannot open database because the directory does not exist/.test(message)) return "notFound";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "busy";
  if (code.startsWith("SQLITE_READONLY") || /query_only/.test(message)) return "readOnly";
  if (code.startsWith("SQLITE_CONSTRAINT")) return "constraint";
  if (code === "SQLITE_MISMATCH" || code === "SQLITE_TOOBIG") return "value";
  if (code === "SQLITE_ERROR" || code === "SQLITE_RANGE") return "sql";
  // pg reports a lost or timed-out connection without a code.
  if (/Connection terminated|timeout expired|connection timeout|ECONNREFUSED/i.test(message)) return "unreachable";
  if (/more than one statement/i.test(message)) return "sql";
  return "other";
}

function describe(category: Category, scope: ErrorScope, reason: string): { code: string; message: string; hint: string; retryable: boolean } {
  const where = `the database at ${scope.target}`;
  const cred = `credential "${scope.credential}"`;
  switch (category) {
    case "unreachable":
      return {
        code: "DB_UNREACHABLE",
        message: `cannot reach ${where}: ${reason}`,
        hint: /ECONNREFUSED|refused/i.test(reason)
          ? `nothing accepts connections at ${scope.target}: check that the database is running and that host and port in ${cred} are right`
          : `check the network path to ${scope.target} and that host and port in ${cred} are right`,
        retryable: true,
      };
    case "auth":
      return {
        code: "DB_AUTH",
        message: `${where} refused the login: ${reason}`,
        hint: `check the user name and password in ${cred}, and that this user may connect from Gate's machine`,
        retryable: false,
      };
    case "notFound":
      return {
        code: "DB_NOT_FOUND",
        message: `${where} does not exist: ${reason}`,
        hint: scope.target.includes(":")
          ? `check the database name in ${cred}`
          : `the SQLite file must already exist inside the files folder; check the path in ${cred}`,
        retryable: false,
      };
    case "busy":
      return { code: "DB_BUSY", message: `${where} is busy: ${reason}`, hint: "this usually passes; the retry policy may try again", retryable: true };
    case "readOnly":
      return {
        code: "DB_READ_ONLY",
        message: `the statement tried to change data in a read-only query: ${reason}`,
        hint: "switch off Read only for statements that change data",
        retryable: false,
      };
    case "constraint":
      return { code: "DB_CONSTRAINT", message: `a row breaks a rule of the table: ${reason}`, hint: "check unique keys, required (NOT NULL) columns and references", retryable: false };
    case "value":
      return { code: "DB_BAD_VALUE", message: `a value does not fit its column: ${reason}`, hint: "check the type and length of the values sent to each column", retryable: false };
    case "sql":
      return { code: "DB_SQL", message: `the database rejected the statement: ${reason}`, hint: "check the SQL, and the table and column names", retryable: false };
    default:
      return { code: "DB_FAILED", message: `the database reported an error: ${reason}`, hint: `check ${cred} and the statement`, retryable: false };
  }
}

/** Which column (and, for MySQL, which row of a multi-row statement) a driver message names. */
export function culprit(error: unknown): { column?: string; row?: number } {
  const e = (error ?? {}) as DriverError;
  const out: { column?: string; row?: number } = {};
  if (typeof e.column === "string" && e.column) out.column = e.column;
  const text = `${typeof e.message === "string" ? e.message : ""} ${typeof e.detail === "string" ? e.detail : ""}`;
  // MySQL: "Column 'x' cannot be null", "for column `db`.`t`.`x` at row 3"; SQLite: "NOT NULL constraint failed: t.x"
  const column =
    /column ((?:[`'"]?\w+[`'"]?\.)*)[`'"]?(\w+)[`'"]?/i.exec(text)?.[2] ??
    /constraint failed: (?:\w+\.)?(\w+)/i.exec(text)?.[1] ??
    /Field '(\w+)'/.exec(text)?.[1] ??
    /Key \((\w+)\)=/.exec(text)?.[1];
  if (!out.column && column) out.column = column;
  const row = /at row (\d+)/i.exec(text)?.[1];
  if (row) out.row = Number(row);
  return out;
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("[redacted]");
  return out;
}

/**
 * Any driver error as a NodeError a person can act on. The driver's own object is not attached as
 * `cause`: some carry connection settings, and anything attached may end up in a log.
 */
export function databaseError(thrown: unknown, scope: ErrorScope): NodeError {
  if (thrown instanceof NodeError) {
    if (!scope.secrets.some((s) => s && (thrown.message.includes(s) || thrown.hint?.includes(s)))) return thrown;
    return new NodeError(redact(thrown.message, scope.secrets), {
      code: thrown.code,
      retryable: thrown.retryable,
      hint: thrown.hint && redact(thrown.hint, scope.secrets),
      details: thrown.details,
    });
  }
  const e = (thrown ?? {}) as DriverError;
  const code = typeof e.code === "string" ? e.code : "";
  const raw = typeof e.message === "string" && e.message ? e.message : code || String(thrown);
  const detail = typeof e.detail === "string" && e.detail ? ` (${e.detail})` : "";
  const reason = redact(raw + detail, scope.secrets);
  const described = describe(categorize(code, raw), scope, reason);
  const found = culprit(thrown);
  const details = [{ driverCode: code || undefined, ...found }];
  return new NodeError(described.message, { code: described.code, hint: described.hint, retryable: described.retryable, details });
}
