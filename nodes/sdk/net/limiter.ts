import { sleep } from "../retry";

export interface LimitOptions {
  /** Requests in flight at once for one key. */
  maxConcurrent?: number | undefined;
  /** Requests started per second for one key, evenly spaced. */
  perSecond?: number | undefined;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep };

interface KeyState {
  active: number;
  waiters: (() => void)[];
  /** When the next request may start (virtual scheduling; a burst of one). */
  nextAt: number;
}

/**
 * Per-connection limits (per host or per credential) shared by every run in this process.
 * Hand-written (~50 lines) because p-limit/bottleneck are not Gate dependencies, and what is
 * needed — a semaphore plus evenly spaced starts — is small enough to read whole.
 */
export class ConnectionLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly clock: Clock = realClock) {}

  /** Wait for a slot and a start time; returns the release function (call it once, when done). */
  async acquire(key: string, limits: LimitOptions, signal: AbortSignal): Promise<() => void> {
    const state = this.state(key);
    if (limits.maxConcurrent) await this.slot(state, limits.maxConcurrent, signal);
    else state.active++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      state.active--;
      state.waiters.shift()?.();
    };
    try {
      if (limits.perSecond) {
        const now = this.clock.now();
        const start = Math.max(now, state.nextAt);
        state.nextAt = start + 1000 / limits.perSecond;
        if (start > now) await this.clock.sleep(start - now, signal);
      }
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  private async slot(state: KeyState, max: number, signal: AbortSignal): Promise<void> {
    while (state.active >= max) {
      if (signal.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
        // A waiter that gives up leaves the queue, so a later release wakes someone still waiting.
        const onAbort = () => {
          const at = state.waiters.indexOf(wake);
          if (at >= 0) state.waiters.splice(at, 1);
          resolve();
        };
        state.waiters.push(wake);
        signal.addEventListener("abort", onAbort, { once: true });
      });
    }
    state.active++;
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      if (this.keys.size >= 1000) this.evictIdle();
      state = { active: 0, waiters: [], nextAt: 0 };
      this.keys.set(key, state);
    }
    return state;
  }

  private evictIdle() {
    const now = this.clock.now();
    for (const [key, s] of this.keys) if (s.active === 0 && s.waiters.length === 0 && s.nextAt <= now) this.keys.delete(key);
  }
}

/** The limiter every node of this process shares. */
export const connectionLimiter = new ConnectionLimiter();
