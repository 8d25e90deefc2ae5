import pino from "pino";
import type { NodeLogger } from "../nodes/sdk";
import { env } from "./env";

/**
 * The process logger. Header and secret fields are redacted here, at the source, so no code path
 * can forget to (the security work extends the list).
 */
export const REDACTED_PATHS = [
  "*.authorization",
  "*.cookie",
  "*.password",
  "*.secret",
  "*.token",
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  'headers["proxy-authorization"]',
];

export const logger = pino({
  level: env().GATE_LOG_LEVEL,
  redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  base: undefined,
});

export function nodeLogger(bindings: Record<string, unknown>): NodeLogger {
  const child = logger.child(bindings);
  return {
    debug: (msg, data) => child.debug(data ?? {}, msg),
    info: (msg, data) => child.info(data ?? {}, msg),
    warn: (msg, data) => child.warn(data ?? {}, msg),
    error: (msg, data) => child.error(data ?? {}, msg),
  };
}
