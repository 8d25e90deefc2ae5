/**
 * A token bucket per endpoint: `requests` tokens refilled evenly over `perSeconds`, so a burst of
 * up to `requests` passes and the sustained rate is requests/perSeconds. In memory: a restart
 * refills it, which errs on the side of accepting.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly requests: number,
    readonly perSeconds: number,
    now = Date.now(),
  ) {
    this.tokens = requests;
    this.last = now;
  }

  /** Take a token; when none is left, the seconds until one is (for Retry-After). */
  take(now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const ratePerMs = this.requests / (this.perSeconds * 1000);
    this.tokens = Math.min(this.requests, this.tokens + (now - this.last) * ratePerMs);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / ratePerMs / 1000)) };
  }
}
