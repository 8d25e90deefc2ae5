import { NodeError } from "../../sdk";
import type { WorkerFailure } from "./protocol";

/** The limits a run had, to name them in messages. */
export interface RunLimits {
  timeoutMs: number;
  memoryLimitMb: number;
  maxOutputBytes: number;
}

const MAX_TIMEOUT_MS = 30_000;
const MAX_MEMORY_MB = 256;

/** Where in the user's code, and for which item, as people read it. */
function where(failure: Pick<WorkerFailure, "line" | "column" | "item">): string {
  const parts: string[] = [];
  if (failure.line !== undefined) parts.push(`at line ${failure.line}${failure.column === undefined ? "" : `, column ${failure.column}`}`);
  if (failure.item !== undefined) parts.push(`while handling item ${failure.item}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function details(failure: WorkerFailure): unknown[] | undefined {
  const { line, column, item } = failure;
  if (line === undefined && item === undefined) return undefined;
  return [{ line, column, item }];
}

/** A failure the worker reported → the NodeError the flow sees. */
export function failureError(failure: WorkerFailure, limits: RunLimits): NodeError {
  const at = where(failure);
  switch (failure.kind) {
    case "syntax":
      return new NodeError(`the code does not parse: ${failure.message}${at}`, {
        code: "CODE_SYNTAX",
        hint: "the code is the body of a function: statements ending in `return`",
        details: details(failure),
      });
    case "error":
      return new NodeError(`the code threw ${failure.message}${at}`, {
        code: "CODE_ERROR",
        hint: "line and column count from the first line of the code",
        details: details(failure),
      });
    case "timeout":
      return timeoutError(limits, failure.message);
    case "memory":
      return memoryError(limits);
    case "too-large":
      return new NodeError(`the code's result is too large: ${failure.message}`, {
        code: "CODE_OUTPUT_TOO_LARGE",
        hint: `the result may be at most ${limits.maxOutputBytes} bytes of JSON; return fewer or smaller items`,
      });
    case "bad-result":
      return new NodeError(failure.message, {
        code: "CODE_BAD_RESULT",
        hint: 'return an array of objects (e.g. `return items.map(i => ({...i, total: i.a + i.b}))`)',
        details: details(failure),
      });
    case "internal":
      return sandboxFailed(failure.message);
  }
}

export function timeoutError(limits: RunLimits, message = `the code ran longer than its ${limits.timeoutMs} ms time limit`): NodeError {
  return new NodeError(message, {
    code: "CODE_TIMEOUT",
    hint:
      limits.timeoutMs < MAX_TIMEOUT_MS
        ? `look for a loop that never ends, or raise the time limit (timeoutMs, up to ${MAX_TIMEOUT_MS})`
        : "look for a loop that never ends, or split the work across several nodes",
  });
}

export function memoryError(limits: RunLimits): NodeError {
  return new NodeError(`the code used more than its ${limits.memoryLimitMb} MB memory limit`, {
    code: "CODE_MEMORY",
    hint:
      limits.memoryLimitMb < MAX_MEMORY_MB
        ? `look for data that grows without end, or raise the memory limit (memoryLimitMb, up to ${MAX_MEMORY_MB}); the items themselves count too`
        : "look for data that grows without end, or send smaller batches of items",
  });
}

export function sandboxFailed(reason: string): NodeError {
  return new NodeError(`the code sandbox failed: ${reason}`, {
    code: "CODE_SANDBOX_FAILED",
    retryable: true,
    hint: "the sandbox process is restarted on the next run; if this repeats, report it with the code that triggers it",
  });
}
