import type { AuditRow } from "../../lib/types";

/** Actions the filter offers; denied calls are logged under their procedure name, which may be typed in. */
export const KNOWN_ACTIONS = [
  "auth.signIn",
  "user.setup",
  "user.create",
  "user.setRole",
  "user.delete",
  "credential.create",
  "credential.rotate",
  "credential.delete",
  "suspicious:auth.signIn",
  "suspicious:webhook.signature",
];

export const OUTCOMES = ["ok", "denied", "failed", "suspicious"] as const;
export type Outcome = (typeof OUTCOMES)[number];

const WATCHED: Record<string, string> = {
  "auth.signIn": "failed sign-ins",
  "webhook.signature": "webhook requests with a bad signature",
};

/** "5 failed sign-ins from 127.0.0.1 in 10 minutes", from what the audit log stores for a suspicious entry. */
export function describeSuspicion(entry: AuditRow): string {
  const watched = entry.action.replace(/^suspicious:/, "");
  const detail = entry.detail as { failures?: unknown; windowMinutes?: unknown } | null;
  const failures = typeof detail?.failures === "number" ? detail.failures : undefined;
  const minutes = typeof detail?.windowMinutes === "number" ? detail.windowMinutes : undefined;
  const what = WATCHED[watched] ?? `failed ${watched}`;
  return `${failures ?? "Repeated"} ${what}${entry.sourceIp ? ` from ${entry.sourceIp}` : ""}${minutes ? ` in ${minutes} minutes` : ""}`;
}

export function detailText(detail: AuditRow["detail"]): string {
  if (!detail) return "";
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" · ");
}
