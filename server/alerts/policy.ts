/**
 * When an incident deserves a notification. Pure, so the grouping and cooldown rules are tested
 * without a database or a mail server.
 *
 * - Grouping: one open incident per rule and key; further failures only bump its count.
 * - Flapping: a condition that returns within the flap window after clearing re-opens the SAME
 *   incident (a "phase" starts at `reopenedAt`) rather than creating a new one.
 * - Cooldown: at most one notification per incident per cooldown, counted from its last
 *   notification of either kind. A re-opened phase inside the cooldown is announced when the
 *   cooldown ends (by the periodic sweep) if it still holds then.
 * - Recovery: sent when the condition clears, but only for a phase people were told about, so every
 *   alert gets exactly one recovery and a phase nobody heard of clears quietly.
 * - Acknowledged incidents get no further problem notifications (someone is on it), but still the recovery.
 */
import type { incidents } from "../db/schema";

export type Incident = typeof incidents.$inferSelect;

/** How long after clearing a returning condition still counts as the same incident. */
export const DEFAULT_FLAP_WINDOW_MS = 10 * 60_000;

export const phaseStart = (i: Incident): number => i.reopenedAt ?? i.openedAt;

/** Were people told about the current phase? */
export const phaseNotified = (i: Incident): boolean => i.notifiedAt !== null && i.notifiedAt >= phaseStart(i);

export function lastNotice(i: Incident): number | null {
  if (i.notifiedAt === null) return i.recoveryNotifiedAt;
  return i.recoveryNotifiedAt === null ? i.notifiedAt : Math.max(i.notifiedAt, i.recoveryNotifiedAt);
}

export function alertDue(i: Incident, cooldownMs: number, now: number): boolean {
  if (i.clearedAt !== null || i.acknowledgedAt !== null || phaseNotified(i)) return false;
  const last = lastNotice(i);
  return last === null || now - last >= cooldownMs;
}

export function recoveryDue(i: Incident): boolean {
  return i.clearedAt !== null && phaseNotified(i) && (i.recoveryNotifiedAt === null || i.recoveryNotifiedAt < i.notifiedAt!);
}

/** May a cleared incident be re-opened instead of a new one being created? */
export const withinFlapWindow = (i: Incident, now: number, flapWindowMs: number): boolean =>
  i.clearedAt !== null && now - i.clearedAt <= flapWindowMs;
