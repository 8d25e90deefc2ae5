import path from "node:path";
import { z } from "zod";

/** The environment, parsed once. Nothing else in Gate reads `process.env`. */
const Env = z.object({
  GATE_DATA_DIR: z.string().min(1).default("./data"),
  GATE_HOST: z.string().min(1).default("127.0.0.1"),
  GATE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  GATE_LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /** Execution retention defaults; a flow's settings.retention overrides them. */
  GATE_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  GATE_RETENTION_COUNT: z.coerce.number().int().min(1).default(10_000),
  /** Dead letters (failed events kept for replay) older than this are deleted, whatever their state. */
  GATE_DLQ_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** The vault's master key (32 bytes, base64 or hex, optionally "<version>:" before it). */
  GATE_ENCRYPTION_KEY: z.string().min(1).optional(),
  /** Older master keys, comma-separated, readable while `gate keys rotate` re-encrypts. */
  GATE_ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
  /** The embedded default's key file (default: ~/.config/gate/master-<data folder id>.key). */
  GATE_KEY_FILE: z.string().min(1).optional(),
  /** Where file nodes read and write (default: <data>/files). */
  GATE_FILES_DIR: z.string().min(1).optional(),
  /** Outbound hosts, CIDRs or IP:port the SSRF guard lets through (comma-separated). */
  GATE_ALLOW_HOSTS: z.string().default(""),
  /** Refuse plain http:// outbound requests (except to allowlisted hosts). */
  GATE_REQUIRE_TLS: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),
  XDG_CONFIG_HOME: z.string().min(1).optional(),
});
export type Env = z.infer<typeof Env>;

let parsed: Env | undefined;

export function env(): Env {
  if (parsed) return parsed;
  const result = Env.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  parsed = result.data;
  return parsed;
}

/** GATE_ALLOW_HOSTS as a list: comma-separated, blanks ignored. */
export function allowList(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function resolveDataDir(option: string | undefined): string {
  return path.resolve(option ?? env().GATE_DATA_DIR);
}
