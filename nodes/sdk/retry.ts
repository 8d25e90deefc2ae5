import { z } from "zod";
import { NodeError } from "./errors";

export const RetryPolicy = z
  .object({
    maxAttempts: z.number().int().min(1).max(50).default(1),
    backoff: z.enum(["exponential", "fixed"]).default("exponential"),
    baseMs: z.number().int().min(0).max(3_600_000).default(500),
    maxDelayMs: z.number().int().min(0).max(86_400_000).default(60_000),
    /** No new attempt starts once this long has passed since the first (0: no limit). */
    maxTotalMs: z.number().int().min(0).max(86_400_000).default(0),
    /**
     * Error codes retried although the node does not call them retryable, e.g. `["HTTP_409"]`.
     * Network errors, timeouts, 5xx and 429 are retried anyway; other 4xx only when listed here.
     */
    retryOn: z.array(z.string().min(1)).max(50).default([]),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const NO_RETRY: RetryPolicy = { maxAttempts: 1, backoff: "fixed", baseMs: 0, maxDelayMs: 0, maxTotalMs: 0, retryOn: [] };

/** Does the policy allow another attempt after `error`, `elapsedMs` after the first one started? */
export function shouldRetry(policy: RetryPolicy, attempt: number, error: NodeError, elapsedMs: number, nextDelayMs: number): boolean {
  if (attempt >= policy.maxAttempts) return false;
  if (!error.retryable && !policy.retryOn.includes(error.code)) return false;
  return policy.maxTotalMs === 0 || elapsedMs + nextDelayMs <= policy.maxTotalMs;
}

/**
 * Delay before attempt `attempt + 1`: exponential backoff with full jitter (AWS's recommendation),
 * but never shorter than the server's `Retry-After`.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, error: NodeError, random = Math.random): number {
  const ceiling =
    policy.backoff === "fixed" ? policy.baseMs : Math.min(policy.maxDelayMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = policy.backoff === "fixed" ? ceiling : Math.floor(random() * ceiling);
  return Math.max(jittered, error.retryAfterMs ?? 0);
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export function abortError(signal: AbortSignal): NodeError {
  const reason: unknown = signal.reason;
  if (reason instanceof NodeError) return reason;
  return new NodeError(reason instanceof Error ? reason.message : "the run was cancelled", { code: "CANCELLED" });
}
