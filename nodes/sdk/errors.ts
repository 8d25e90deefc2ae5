/**
 * The one error type nodes throw. `code` is stable and machine-readable; `message` is written
 * for a person who is not a developer; `hint` says what to check.
 */
export class NodeError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  /** From a `Retry-After` answer: wait at least this long before the next attempt. */
  readonly retryAfterMs: number | undefined;
  /** Structured detail for people and tools, e.g. every schema violation of an item. */
  readonly details: unknown[] | undefined;

  constructor(
    message: string,
    options: { code: string; retryable?: boolean; hint?: string; retryAfterMs?: number; details?: unknown[]; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "NodeError";
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

/** Turn anything thrown into a NodeError without losing a NodeError's code. */
export function toNodeError(error: unknown): NodeError {
  if (error instanceof NodeError) return error;
  if (error instanceof Error) {
    const { code } = error as { code?: unknown };
    return new NodeError(error.message, { code: typeof code === "string" ? code : "NODE_FAILED", cause: error });
  }
  return new NodeError(String(error), { code: "NODE_FAILED" });
}
