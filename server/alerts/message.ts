/**
 * What an alert says, built once per notification and rendered per channel: a JSON event for
 * webhooks, a subject and plain-text body for email. Everything in it comes from the incident and
 * the rule (summaries are written from run errors, which the engine already redacts); no channel
 * config and no credential ever goes in.
 */
import type { AlertRule } from "./model";
import type { Incident } from "./policy";

export type AlertEventType = "incident.opened" | "incident.reopened" | "incident.resolved";

export interface AlertEvent {
  type: AlertEventType;
  /** ISO time the notification was made. */
  timestamp: string;
  data: {
    incidentId: string;
    rule: { id: string; name: string; kind: string };
    flow: { id: string; name: string } | null;
    key: string;
    /** What is (or was) wrong. */
    summary: string;
    /** How it cleared; null while open. */
    resolution: string | null;
    openedAt: string;
    clearedAt: string | null;
    /** How many checks found the condition holding. */
    count: number;
    reopenCount: number;
  };
}

export function alertEvent(args: { kind: "alert" | "recovery"; incident: Incident; rule: AlertRule; flowName: string | null; now: number }): AlertEvent {
  const { incident, rule } = args;
  const type: AlertEventType = args.kind === "recovery" ? "incident.resolved" : incident.reopenedAt !== null ? "incident.reopened" : "incident.opened";
  return {
    type,
    timestamp: new Date(args.now).toISOString(),
    data: {
      incidentId: incident.id,
      rule: { id: rule.id, name: rule.name, kind: rule.kind },
      flow: incident.flowId !== null && args.flowName !== null ? { id: incident.flowId, name: args.flowName } : null,
      key: incident.key,
      summary: incident.summary,
      resolution: incident.resolution,
      openedAt: new Date(incident.openedAt).toISOString(),
      clearedAt: incident.clearedAt === null ? null : new Date(incident.clearedAt).toISOString(),
      count: incident.count,
      reopenCount: incident.reopenCount,
    },
  };
}

/**
 * A stable id per notification, so a retried delivery carries the same `webhook-id` and the
 * receiver can drop the duplicate.
 */
export function messageId(event: AlertEvent, incident: Incident): string {
  const phase = event.type === "incident.resolved" ? `resolved-${incident.clearedAt}` : `${event.type.slice(9)}-${incident.reopenedAt ?? incident.openedAt}`;
  return `msg_${incident.id}_${phase}`;
}

const TITLE: Record<AlertEventType, string> = {
  "incident.opened": "ALERT",
  "incident.reopened": "ALERT (again)",
  "incident.resolved": "RESOLVED",
};

export function emailText(event: AlertEvent): { subject: string; text: string } {
  const d = event.data;
  const subject = `[Gate] ${TITLE[event.type]}: ${d.rule.name}${d.flow ? ` - ${d.flow.name}` : ""}`;
  const lines = [
    ...(d.resolution ? [`The problem has cleared: ${d.resolution}.`, "", `It was: ${d.summary}`] : ["Gate detected a problem:", "", d.summary]),
    "",
    `Rule:      ${d.rule.name} (${d.rule.kind})`,
    ...(d.flow ? [`Flow:      ${d.flow.name}`] : []),
    `Opened:    ${d.openedAt}`,
    ...(d.clearedAt ? [`Cleared:   ${d.clearedAt}`] : []),
    `Seen:      ${d.count} time(s)${d.reopenCount ? `, re-opened ${d.reopenCount} time(s)` : ""}`,
    `Incident:  ${d.incidentId}`,
    "",
    event.type === "incident.resolved"
      ? "No action is needed."
      : "You will get one message when it clears. Repeats of the same problem are grouped into this incident.",
  ];
  return { subject, text: lines.join("\n") };
}
