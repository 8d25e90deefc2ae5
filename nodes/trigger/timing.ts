/**
 * Config fields shared by the time-driven triggers (trigger.schedule, trigger.poll). A helper
 * module, not a node: it has no default export, so the registry skips it.
 */
import { Cron } from "croner";
import { z } from "../sdk";

/** The problem with a cron pattern, or undefined when croner accepts it and it fires again. */
export function cronProblem(pattern: string, timezone?: string): string | undefined {
  let job: Cron;
  try {
    // Paused and without a callback: croner parses the pattern but arms no timer.
    job = new Cron(pattern, { paused: true, ...(timezone && { timezone }) });
  } catch (error) {
    return `"${pattern}" is not a valid cron pattern: ${(error as Error).message}`;
  }
  if (job.nextRun() === null) return `"${pattern}" never fires again`;
  return undefined;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A cron pattern with seconds: `sec min hour day month weekday` (5 fields = seconds 0, or @hourly etc.). */
export function cronField() {
  return z
    .string()
    .trim()
    .min(1, "enter a cron pattern")
    .superRefine((pattern, ctx) => {
      const problem = cronProblem(pattern);
      if (problem) ctx.addIssue({ code: "custom", message: `${problem} (e.g. "0 */5 * * * *" = every 5 minutes)` });
    });
}

export function timeZoneField() {
  return z
    .string()
    .default("UTC")
    .refine(isTimeZone, { error: (issue) => `unknown time zone ${JSON.stringify(issue.input)}: use an IANA name such as "Europe/Berlin" or "UTC"` })
    .meta({ title: "Time zone", description: "IANA time zone the pattern is read in, e.g. Europe/Berlin" });
}
