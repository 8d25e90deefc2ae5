import type { AlertRule } from "../../../lib/types";

type Kind = AlertRule["kind"];
type ParamsOf<K extends Kind> = Extract<AlertRule, { kind: K }>["params"];

/**
 * Each rule kind in words, with its parameters' defaults. The defaults are typed against the
 * server's rule schema (through the API's types), so a renamed parameter fails the type check here.
 */
export const RULE_KINDS: { [K in Kind]: { label: string; params: ParamsOf<K>; labels: Record<keyof ParamsOf<K>, string> } } = {
  consecutiveFailures: { label: "Consecutive failed runs", params: { failures: 3 }, labels: { failures: "Failed runs in a row" } },
  failureRate: {
    label: "Failure rate",
    params: { percent: 50, windowMinutes: 15, minRuns: 5 },
    labels: { percent: "Failed runs above (%)", windowMinutes: "Window (minutes)", minRuns: "At least this many runs" },
  },
  authFailures: { label: "Authentication failures", params: { failures: 1, windowMinutes: 60 }, labels: { failures: "Failures", windowMinutes: "Window (minutes)" } },
  credentialExpiry: { label: "Credential about to expire", params: { withinDays: 14 }, labels: { withinDays: "Within (days)" } },
  rejectedWebhooks: { label: "Rejected webhook calls", params: { rejections: 20, windowMinutes: 5 }, labels: { rejections: "Rejections", windowMinutes: "Window (minutes)" } },
  dlqGrowth: { label: "Dead letters piling up", params: { added: 10, windowMinutes: 60 }, labels: { added: "New dead letters", windowMinutes: "Window (minutes)" } },
};

export const KIND_NAMES = Object.keys(RULE_KINDS) as Kind[];

/** "3 failed runs in a row", for the rule list. */
export function describeParams(rule: Pick<AlertRule, "kind" | "params">): string {
  const labels = RULE_KINDS[rule.kind].labels as Record<string, string>;
  return Object.entries(rule.params as Record<string, number>)
    .map(([name, value]) => `${labels[name] ?? name}: ${value}`)
    .join(" · ");
}
