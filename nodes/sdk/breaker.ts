/**
 * A circuit breaker per connection (a host, a credential id — the caller picks the key). After
 * `failureThreshold` consecutive failures that are the connection's fault, calls fail fast with
 * NodeError `CIRCUIT_OPEN` instead of waiting on a service that is down; after `coolDownMs` one
 * call goes through as a probe: its success closes the circuit, its failure opens it again.
 *
 * Only the connection's faults count (network errors, timeouts, 5xx, 429): a 4xx answer proves the
 * service is up and working, so it counts as a success here even though the node fails.
 */
import { NodeError } from "./errors";

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  /** Consecutive connection faults that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long an open circuit fails fast before one probe is let through (default 30 s). */
  coolDownMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** A permission to make one call; report how it went exactly once (later reports are ignored). */
export interface BreakerPermit {
  success(): void;
  /** Classifies the error: only connection faults count against the connection. */
  failure(error: unknown): void;
  /** The call ended without telling anything about the connection (e.g. it was cancelled). */
  release(): void;
}

export interface BreakerSnapshot {
  key: string;
  state: BreakerState;
  consecutiveFailures: number;
  /** When an open circuit lets its next probe through (ms since the epoch). */
  probeAt: number | null;
  lastFailure: string | null;
}

const DEFAULT_THRESHOLD = 5;
const DEFAULT_COOL_DOWN_MS = 30_000;

/** Network error codes from the SDK's HTTP client (net-errors.ts) that mean "could not talk to it". */
const NETWORK_CODES = new Set(["CONNECTION", "TIMEOUT", "DNS"]);

/**
 * Is this failure the connection's fault? Network errors, timeouts and 5xx / 408 / 429 answers are;
 * 4xx answers, TLS and configuration errors, refused destinations and cancellations are not (waiting
 * does not fix them, and failing fast would hide their own, more useful message).
 */
export function isConnectionFault(error: unknown): boolean {
  if (!(error instanceof NodeError)) return false;
  if (NETWORK_CODES.has(error.code)) return true;
  const status = /^HTTP_(\d{3})$/.exec(error.code)?.[1];
  if (status === undefined) return false;
  const n = Number(status);
  return n >= 500 || n === 429 || n === 408;
}

export class CircuitBreaker {
  readonly key: string;
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private failures = 0;
  private openedAt: number | null = null;
  private probing = false;
  private lastFailure: string | null = null;

  constructor(key: string, options: BreakerOptions = {}) {
    this.key = key;
    this.threshold = Math.max(1, options.failureThreshold ?? DEFAULT_THRESHOLD);
    this.coolDownMs = Math.max(0, options.coolDownMs ?? DEFAULT_COOL_DOWN_MS);
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.probing || this.now() >= this.openedAt + this.coolDownMs ? "half-open" : "open";
  }

  snapshot(): BreakerSnapshot {
    return {
      key: this.key,
      state: this.state,
      consecutiveFailures: this.failures,
      probeAt: this.openedAt === null ? null : this.openedAt + this.coolDownMs,
      lastFailure: this.lastFailure,
    };
  }

  /** Permission for one call, or NodeError `CIRCUIT_OPEN` while the circuit is open or a probe is out. */
  acquire(): BreakerPermit {
    if (this.openedAt !== null) {
      if (this.probing || this.now() < this.openedAt + this.coolDownMs) throw this.openError();
      // The one probe of this cool-down: everyone else keeps failing fast until it reports.
      this.probing = true;
      return this.permit(true);
    }
    return this.permit(false);
  }

  /** Run `call` under the breaker: fails fast when open, records the outcome otherwise. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const permit = this.acquire();
    try {
      const value = await call();
      permit.success();
      return value;
    } catch (error) {
      if (error instanceof NodeError && error.code === "CANCELLED") permit.release();
      else permit.failure(error);
      throw error;
    }
  }

  /** Back to closed, forgetting every failure (an admin's "reset", tests). */
  reset(): void {
    this.failures = 0;
    this.openedAt = null;
    this.probing = false;
    this.lastFailure = null;
  }

  private permit(probe: boolean): BreakerPermit {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      if (probe) this.probing = false;
      outcome();
    };
    return {
      success: () => settle(() => this.onSuccess()),
      failure: (error) => settle(() => (isConnectionFault(error) ? this.onFault(error as NodeError) : this.onSuccess())),
      release: () => settle(() => undefined),
    };
  }

  private onSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
  }

  private onFault(error: NodeError): void {
    this.failures++;
    this.lastFailure = `${error.code}: ${error.message}`;
    // A failed probe re-opens at once; a closed circuit opens at the threshold.
    if (this.openedAt !== null || this.failures >= this.threshold) this.openedAt = this.now();
  }

  private openError(): NodeError {
    const probeAt = new Date(this.openedAt! + this.coolDownMs).toISOString();
    const when = this.probing ? "a test request is checking it right now" : `Gate lets one test request through at ${probeAt}`;
    return new NodeError(
      `circuit open for connection "${this.key}": its last ${this.failures} requests failed${this.lastFailure ? ` (last: ${this.lastFailure})` : ""}; calls fail fast until it recovers — ${when}`,
      {
        code: "CIRCUIT_OPEN",
        hint: "check that the service is up and reachable from Gate; calls resume on their own once a test request succeeds",
        details: [{ connection: this.key, probeAt, consecutiveFailures: this.failures }],
      },
    );
  }
}

/** One breaker per connection key, process-wide, so every run that uses a connection shares its health. */
const registry = new Map<string, CircuitBreaker>();

/** The breaker for `key`, created with `options` on first use (later options are ignored). */
export function breakerFor(key: string, options?: BreakerOptions): CircuitBreaker {
  let breaker = registry.get(key);
  if (!breaker) {
    breaker = new CircuitBreaker(key, options);
    registry.set(key, breaker);
  }
  return breaker;
}

/** Every breaker's state, e.g. for a health page. */
export function breakerSnapshots(): BreakerSnapshot[] {
  return [...registry.values()].map((b) => b.snapshot());
}

/** Forget every breaker (tests; an admin resetting all connections). */
export function clearBreakers(): void {
  registry.clear();
}
