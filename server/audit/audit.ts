/**
 * The audit log. Every entry names an actor, an action and an outcome; details are metadata only
 * (never a secret value). Repeated failures from one source inside a window raise one
 * "suspicious" entry for admins, not one per failure.
 */
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { GateDb } from "../db/client";
import type { CredentialResolver } from "../engine/interpreter";
import { auditEvents } from "../db/schema";

export type AuditOutcome = "ok" | "denied" | "failed" | "suspicious";

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  sourceIp?: string | null;
  detail?: Record<string, unknown>;
}

export interface SuspicionRule {
  /** The failing action to watch, e.g. "auth.signIn" or "webhook.signature". */
  action: string;
  threshold: number;
  windowMs: number;
}

export const SUSPICION_RULES: SuspicionRule[] = [
  { action: "auth.signIn", threshold: 5, windowMs: 10 * 60_000 },
  { action: "webhook.signature", threshold: 10, windowMs: 10 * 60_000 },
  { action: "webhook.auth", threshold: 10, windowMs: 10 * 60_000 },
];

export class AuditLog {
  constructor(
    private readonly gdb: GateDb,
    private readonly rules: SuspicionRule[] = SUSPICION_RULES,
  ) {}

  record(entry: AuditEntry, now = Date.now()): void {
    this.gdb.db
      .insert(auditEvents)
      .values({
        at: now,
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome,
        sourceIp: entry.sourceIp ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      })
      .run();
    if (entry.outcome === "failed" || entry.outcome === "denied") this.checkSuspicion(entry, now);
  }

  list(options: { limit: number; before?: number; action?: string; outcome?: AuditOutcome }) {
    const where = and(
      options.before === undefined ? undefined : lt(auditEvents.id, options.before),
      options.action ? eq(auditEvents.action, options.action) : undefined,
      options.outcome ? eq(auditEvents.outcome, options.outcome) : undefined,
    );
    const rows = this.gdb.db.select().from(auditEvents).where(where).orderBy(desc(auditEvents.id)).limit(options.limit + 1).all();
    const items = rows.slice(0, options.limit).map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
    return { items, nextCursor: rows.length > options.limit ? items.at(-1)!.id : null };
  }

  private checkSuspicion(entry: AuditEntry, now: number) {
    const rule = this.rules.find((r) => r.action === entry.action);
    if (!rule || !entry.sourceIp) return;
    const since = now - rule.windowMs;
    const count = (where: ReturnType<typeof and>) =>
      this.gdb.db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(where).get()?.n ?? 0;
    const failures = count(
      and(eq(auditEvents.action, entry.action), eq(auditEvents.sourceIp, entry.sourceIp), gte(auditEvents.at, since), sql`${auditEvents.outcome} in ('failed','denied')`),
    );
    if (failures < rule.threshold) return;
    const raised = count(and(eq(auditEvents.action, `suspicious:${entry.action}`), eq(auditEvents.sourceIp, entry.sourceIp), gte(auditEvents.at, since)));
    if (raised) return;
    this.gdb.db
      .insert(auditEvents)
      .values({
        at: now,
        actor: "system",
        action: `suspicious:${entry.action}`,
        target: entry.target ?? null,
        outcome: "suspicious",
        sourceIp: entry.sourceIp,
        detail: JSON.stringify({ failures, windowMinutes: rule.windowMs / 60_000 }),
      })
      .run();
  }
}

/** How often one credential's use is written down: a busy webhook flow would otherwise flood the log. */
export const USE_AUDIT_EVERY_MS = 3600_000;

/** A resolver that records "credential.use" in the audit log, at most once an hour per credential. */
export function auditedUse(resolver: CredentialResolver, audit: AuditLog, now = () => Date.now()): CredentialResolver {
  const last = new Map<string, number>();
  return {
    async resolve(ref) {
      const credential = await resolver.resolve(ref);
      const at = now();
      if ((last.get(credential.id) ?? -Infinity) + USE_AUDIT_EVERY_MS <= at) {
        last.set(credential.id, at);
        audit.record({ actor: "system", action: "credential.use", target: credential.name, outcome: "ok" }, at);
      }
      return credential;
    },
  };
}
