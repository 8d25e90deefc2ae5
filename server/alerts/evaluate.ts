/**
 * Gathers the facts a rule needs and runs its pure evaluation (rules.ts). Two entry points: after a
 * live run of one flow (run-based rules, for that flow) and the periodic sweep (every rule, every
 * key: windows slide, credentials age, webhooks get rejected without any run).
 */
import type { GateDb } from "../db/client";
import { AUTH_RUNS_CAP, flowRefs, recentRuns, rejectedWebhooksSince, runCountsSince, withFlows, type DeadLetterSource } from "./facts";
import type { AlertRule } from "./model";
import type { Incident } from "./policy";
import * as rules from "./rules";
import type { CredentialFact, Finding, FlowRef } from "./rules";

export interface FactSources {
  gdb: GateDb;
  credentials: () => readonly CredentialFact[];
  deadLetters?: DeadLetterSource | undefined;
}

const STREAK_SHOWN = 50;

const windowStart = (now: number, minutes: number) => now - minutes * 60_000;

/** The finding of a run-based rule for one flow, or null for rules that runs do not move. */
export function evaluateForFlow(rule: AlertRule, flow: FlowRef, sources: FactSources, now: number): Finding | null {
  const { gdb } = sources;
  switch (rule.kind) {
    case "consecutiveFailures":
      // Beyond the threshold only to tell people how long the streak is.
      return rules.consecutiveFailures(rule.params, flow, recentRuns(gdb, flow.id, { limit: Math.max(rule.params.failures, STREAK_SHOWN) }));
    case "failureRate": {
      const counts = runCountsSince(gdb, windowStart(now, rule.params.windowMinutes), flow.id).get(flow.id) ?? { total: 0, failed: 0 };
      return rules.failureRate(rule.params, flow, counts);
    }
    case "authFailures":
      return rules.authFailures(rule.params, flow, recentRuns(gdb, flow.id, { limit: AUTH_RUNS_CAP, since: windowStart(now, rule.params.windowMinutes) }));
    default:
      return null;
  }
}

/**
 * Every finding of a rule at sweep time. Keys with an open incident that the facts no longer
 * mention (a deleted credential, a window that emptied) come back inactive, so they clear.
 */
export function evaluateAll(rule: AlertRule, open: readonly Incident[], sources: FactSources, now: number): Finding[] {
  const { gdb } = sources;
  const inScope = (flowId: string | null) => rule.flowId === null || flowId === rule.flowId;
  let findings: Finding[];
  switch (rule.kind) {
    case "consecutiveFailures":
      // Only a run can start or end a streak; runs are checked as they finish.
      return [];
    case "failureRate": {
      const since = windowStart(now, rule.params.windowMinutes);
      const counts = runCountsSince(gdb, since, rule.flowId ?? undefined);
      const ids = [...new Set([...counts.keys(), ...open.flatMap((i) => (i.flowId ? [i.flowId] : []))])].filter(inScope);
      findings = [...flowRefs(gdb, ids).values()].map((flow) => rules.failureRate(rule.params, flow, counts.get(flow.id) ?? { total: 0, failed: 0 }));
      break;
    }
    case "authFailures": {
      // New auth failures arrive with runs; the sweep only lets old ones age out of the window.
      const ids = open.flatMap((i) => (i.flowId ? [i.flowId] : []));
      findings = [...flowRefs(gdb, ids).values()].flatMap((flow) => evaluateForFlow(rule, flow, sources, now) ?? []);
      break;
    }
    case "credentialExpiry":
      findings = rules.credentialExpiry(rule.params, sources.credentials(), now);
      break;
    case "rejectedWebhooks": {
      const counts = withFlows(gdb, rejectedWebhooksSince(gdb, windowStart(now, rule.params.windowMinutes)));
      findings = rules.rejectedWebhooks(
        rule.params,
        counts.filter((c) => inScope(c.flow?.id ?? null)),
      );
      break;
    }
    case "dlqGrowth": {
      if (!sources.deadLetters) return [];
      const counts = withFlows(gdb, sources.deadLetters.addedSince(windowStart(now, rule.params.windowMinutes)));
      findings = rules.dlqGrowth(
        rule.params,
        counts.filter((c) => inScope(c.flow?.id ?? null)),
      );
      break;
    }
  }
  const seen = new Set(findings.map((f) => f.key));
  for (const incident of open)
    if (!seen.has(incident.key))
      findings.push({ key: incident.key, flowId: incident.flowId, active: false, summary: `${rule.name}: the condition no longer holds` });
  return findings;
}
