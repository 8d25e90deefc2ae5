/**
 * When a time-driven trigger fires. The scheduler knows the two core types by their type strings,
 * the way webhook routes know `trigger.webhook`; it never imports the node files.
 */
import { Cron, type CronCallback, type CronOptions } from "croner";

export const SCHEDULE_NODE_TYPE = "trigger.schedule";
export const POLL_NODE_TYPE = "trigger.poll";

export type TriggerTiming =
  | { kind: "cron"; pattern: string; timezone: string }
  /** Every `seconds`, counted from when the job was armed. */
  | { kind: "interval"; seconds: number };

/** The timing a trigger's parsed config asks for, or undefined for any other node type. */
export function timingOf(type: string, config: Record<string, unknown>): TriggerTiming | undefined {
  const timezone = typeof config.timezone === "string" ? config.timezone : "UTC";
  if (type === SCHEDULE_NODE_TYPE && typeof config.cron === "string") return { kind: "cron", pattern: config.cron, timezone };
  if (type === POLL_NODE_TYPE) {
    if (typeof config.interval === "number") return { kind: "interval", seconds: config.interval };
    if (typeof config.interval === "string") return { kind: "cron", pattern: config.interval, timezone };
  }
  return undefined;
}

export function describeTiming(timing: TriggerTiming): string {
  return timing.kind === "cron" ? `${timing.pattern} (${timing.timezone})` : `every ${timing.seconds} s`;
}

/** A croner job for `timing`; without `fn` it only answers questions (next run, occurrences). */
export function cronFor(timing: TriggerTiming, fn?: CronCallback, options: CronOptions = {}): Cron {
  if (timing.kind === "cron") {
    const opts = { ...options, timezone: timing.timezone };
    return fn ? new Cron(timing.pattern, opts, fn) : new Cron(timing.pattern, { ...opts, paused: true });
  }
  // Every second, throttled by croner's minimum interval: any number of seconds, not only divisors of 60.
  const opts = { ...options, interval: timing.seconds };
  return fn ? new Cron("* * * * * *", opts, fn) : new Cron("* * * * * *", { ...opts, paused: true });
}

export interface Occurrences {
  count: number;
  first: Date | undefined;
  last: Date | undefined;
  /** True when counting stopped at the limit: there were at least `count`. */
  capped: boolean;
}

/** Occurrences strictly after `from` and at or before `to`, counted up to `limit`. */
export function occurrencesBetween(timing: TriggerTiming, from: Date, to: Date, limit = 10_000): Occurrences {
  if (to <= from) return { count: 0, first: undefined, last: undefined, capped: false };
  if (timing.kind === "interval") {
    const step = timing.seconds * 1000;
    const total = Math.floor((to.getTime() - from.getTime()) / step);
    const count = Math.min(total, limit);
    return {
      count,
      first: count ? new Date(from.getTime() + step) : undefined,
      last: count ? new Date(from.getTime() + step * total) : undefined,
      capped: total > limit,
    };
  }
  const job = cronFor(timing);
  let count = 0;
  let first: Date | undefined;
  let last: Date | undefined;
  for (const at of job.enumerate(from)) {
    if (at > to) break;
    if (count === limit) return { count, first, last: job.previousRuns(1, new Date(to.getTime() + 1))[0] ?? last, capped: true };
    first ??= at;
    last = at;
    count++;
  }
  return { count, first, last, capped: false };
}

/** The occurrence a firing at `firedAt` stands for (timers fire a few ms after the scheduled second). */
export function scheduledFor(timing: TriggerTiming, firedAt: Date): Date {
  if (timing.kind === "cron") {
    const previous = cronFor(timing).previousRuns(1, firedAt)[0];
    if (previous && firedAt.getTime() - previous.getTime() < 60_000) return previous;
  }
  return new Date(Math.floor(firedAt.getTime() / 1000) * 1000);
}
