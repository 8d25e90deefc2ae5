/**
 * Rule evaluation: pure functions from facts (recent runs, credential expiries, counts) to findings.
 * A finding says whether a rule's condition holds for one key right now; the incident store turns
 * findings into opened, still-open and cleared incidents. Nothing here reads the clock or the database.
 */
import type { RuleParams } from "./model";

/** One finished live run of a flow, as the rules see it. */
export interface RunFact {
  executionId: string;
  status: "success" | "failed";
  startedAt: number;
  /** The run's error code, and the codes of nodes that failed (a caught error still shows an auth problem). */
  errorCodes: readonly string[];
  /** The run's error, one line, for summaries. */
  error?: { code: string; message: string; node?: string | undefined };
}

export interface FlowRef {
  id: string;
  name: string;
}

export interface Finding {
  /** Groups incidents within a rule: `flow:<id>`, `credential:<name>`, `webhooks:unrouted`. */
  key: string;
  flowId: string | null;
  active: boolean;
  /** What is wrong (or that it cleared), for people; never holds a secret. */
  summary: string;
}

export const flowKey = (flowId: string) => `flow:${flowId}`;

/** HTTP 401/403 and every vault or OAuth refusal: the credential, not the service, is the problem. */
export function isAuthFailure(code: string): boolean {
  return code === "HTTP_401" || code === "HTTP_403" || code.startsWith("CREDENTIAL_") || code.startsWith("OAUTH_") || code === "SIGNATURE_INVALID";
}

const MAX_MESSAGE = 300;

function describeError(run: RunFact | undefined): string {
  if (!run?.error) return "";
  const { code, message, node } = run.error;
  const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
  return `; last error: ${code}${node ? ` at node "${node}"` : ""}: ${text}`;
}

/** `runs` newest first. Holds while the newest `failures` runs all failed; the next success clears it. */
export function consecutiveFailures(params: RuleParams<"consecutiveFailures">, flow: FlowRef, runs: readonly RunFact[]): Finding {
  let streak = 0;
  while (streak < runs.length && runs[streak]!.status === "failed") streak++;
  const active = streak >= params.failures;
  return {
    key: flowKey(flow.id),
    flowId: flow.id,
    active,
    summary: active
      ? `flow "${flow.name}" failed ${streak} times in a row${describeError(runs[0])}`
      : `flow "${flow.name}" ran successfully again`,
  };
}

/** Counts of the runs that started within the window, and the newest failed one. */
export interface RunCounts {
  total: number;
  failed: number;
  lastFailure?: RunFact | undefined;
}

export function failureRate(params: RuleParams<"failureRate">, flow: FlowRef, counts: RunCounts): Finding {
  const { failed, total } = counts;
  const rate = total === 0 ? 0 : (failed / total) * 100;
  const active = total >= params.minRuns && rate > params.percent;
  const share = `${failed} of ${total} runs (${Math.round(rate)}%) in the last ${params.windowMinutes} minutes`;
  return {
    key: flowKey(flow.id),
    flowId: flow.id,
    active,
    summary: active
      ? `flow "${flow.name}" is failing often: ${share} failed, above the ${params.percent}% limit${describeError(counts.lastFailure)}`
      : `flow "${flow.name}" failure rate is back to normal: ${share} failed`,
  };
}

/**
 * `runs` newest first, within the window. Holds once `failures` runs failed on authentication and no
 * run succeeded since the latest of them: a success proves the credential works again.
 */
export function authFailures(params: RuleParams<"authFailures">, flow: FlowRef, runs: readonly RunFact[]): Finding {
  const auth = runs.filter((r) => r.errorCodes.some(isAuthFailure));
  const latestAuth = auth[0];
  const succeededSince = latestAuth !== undefined && runs.some((r) => r.status === "success" && r.startedAt > latestAuth.startedAt);
  const active = auth.length >= params.failures && !succeededSince;
  const code = latestAuth?.errorCodes.find(isAuthFailure);
  return {
    key: flowKey(flow.id),
    flowId: flow.id,
    active,
    summary: active
      ? `flow "${flow.name}" failed to authenticate ${auth.length} time${auth.length === 1 ? "" : "s"} in the last ${params.windowMinutes} minutes (${code}): check its credential${describeError(latestAuth)}`
      : `flow "${flow.name}" authenticates again`,
  };
}

export interface CredentialFact {
  name: string;
  kind: string;
  expiresAt: number | null;
}

const DAY_MS = 24 * 3600_000;

/** One finding per credential; those without an expiry are never at risk. */
export function credentialExpiry(params: RuleParams<"credentialExpiry">, credentials: readonly CredentialFact[], now: number): Finding[] {
  return credentials.map((c) => {
    const left = c.expiresAt === null ? Infinity : c.expiresAt - now;
    const active = left <= params.withinDays * DAY_MS;
    const what = c.kind === "clientCertificate" ? "certificate" : c.kind.startsWith("oauth2") ? "token" : "secret";
    const when = c.expiresAt === null ? "" : new Date(c.expiresAt).toISOString();
    return {
      key: `credential:${c.name}`,
      flowId: null,
      active,
      summary: !active
        ? `credential "${c.name}" is no longer about to expire`
        : left <= 0
          ? `credential "${c.name}" (${what}) expired at ${when}: renew it`
          : `credential "${c.name}" (${what}) expires at ${when}, in ${Math.ceil(left / DAY_MS)} day(s): renew it`,
    };
  });
}

/** A count per flow (flowId null: requests no active flow answered), e.g. rejected webhooks in the window. */
export interface FlowCount {
  flow: FlowRef | null;
  count: number;
}

export function rejectedWebhooks(params: RuleParams<"rejectedWebhooks">, counts: readonly FlowCount[]): Finding[] {
  return counts.map(({ flow, count }) => {
    const active = count >= params.rejections;
    const where = flow ? `flow "${flow.name}"` : "paths no active flow answers";
    return {
      key: flow ? flowKey(flow.id) : "webhooks:unrouted",
      flowId: flow?.id ?? null,
      active,
      summary: active
        ? `${count} webhook requests to ${where} were rejected in the last ${params.windowMinutes} minutes (limit ${params.rejections}): see the webhook log for the reasons`
        : `rejected webhooks to ${where} are back under ${params.rejections} per ${params.windowMinutes} minutes`,
    };
  });
}

export function dlqGrowth(params: RuleParams<"dlqGrowth">, counts: readonly FlowCount[]): Finding[] {
  return counts.map(({ flow, count }) => {
    const active = count >= params.added;
    const where = flow ? `flow "${flow.name}"` : "all flows";
    return {
      key: flow ? flowKey(flow.id) : "dlq:all",
      flowId: flow?.id ?? null,
      active,
      summary: active
        ? `${count} items went to the dead-letter queue of ${where} in the last ${params.windowMinutes} minutes (limit ${params.added}): replay them once the cause is fixed`
        : `the dead-letter queue of ${where} stopped growing`,
    };
  });
}
