/**
 * The incident store: findings in, incidents opened / continued / re-opened / cleared out. The
 * partial unique index on (rule_id, key) WHERE cleared_at IS NULL backs the grouping rule: there is
 * never a second open incident for the same rule and key.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, gte, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { GateDb } from "../db/client";
import { alertRules, flows, incidents } from "../db/schema";
import { withinFlapWindow, type Incident } from "./policy";
import type { Finding } from "./rules";

export type Transition = { change: "opened" | "reopened" | "continued" | "cleared"; incident: Incident };

function latest(gdb: GateDb, ruleId: string, key: string): Incident | undefined {
  return gdb.db
    .select()
    .from(incidents)
    .where(and(eq(incidents.ruleId, ruleId), eq(incidents.key, key)))
    .orderBy(sql`${incidents.clearedAt} is null desc`, desc(incidents.clearedAt))
    .limit(1)
    .get();
}

function byId(gdb: GateDb, id: string): Incident {
  return gdb.db.select().from(incidents).where(eq(incidents.id, id)).get()!;
}

/** Record what a finding means for its incident; null when nothing changes (clear and nothing open). */
export function applyFinding(gdb: GateDb, ruleId: string, finding: Finding, options: { now: number; flapWindowMs: number }): Transition | null {
  const { now } = options;
  const previous = latest(gdb, ruleId, finding.key);
  const open = previous && previous.clearedAt === null ? previous : undefined;
  if (!finding.active) {
    if (!open) return null;
    gdb.db.update(incidents).set({ clearedAt: now, lastSeenAt: now, resolution: finding.summary }).where(eq(incidents.id, open.id)).run();
    return { change: "cleared", incident: byId(gdb, open.id) };
  }
  if (open) {
    gdb.db
      .update(incidents)
      .set({ lastSeenAt: now, count: sql`${incidents.count} + 1`, summary: finding.summary })
      .where(eq(incidents.id, open.id))
      .run();
    return { change: "continued", incident: byId(gdb, open.id) };
  }
  if (previous && withinFlapWindow(previous, now, options.flapWindowMs)) {
    gdb.db
      .update(incidents)
      .set({
        clearedAt: null,
        resolution: null,
        reopenedAt: now,
        reopenCount: sql`${incidents.reopenCount} + 1`,
        lastSeenAt: now,
        count: sql`${incidents.count} + 1`,
        summary: finding.summary,
      })
      .where(eq(incidents.id, previous.id))
      .run();
    return { change: "reopened", incident: byId(gdb, previous.id) };
  }
  const id = randomUUID();
  gdb.db
    .insert(incidents)
    .values({ id, ruleId, flowId: finding.flowId, key: finding.key, openedAt: now, lastSeenAt: now, count: 1, summary: finding.summary })
    .run();
  return { change: "opened", incident: byId(gdb, id) };
}

export function openIncidents(gdb: GateDb, ruleId?: string): Incident[] {
  return gdb.db
    .select()
    .from(incidents)
    .where(and(isNull(incidents.clearedAt), ruleId === undefined ? undefined : eq(incidents.ruleId, ruleId)))
    .all();
}

/** Cleared incidents (since `since`) that may still owe a recovery message. */
export function recentlyCleared(gdb: GateDb, since: number): Incident[] {
  return gdb.db
    .select()
    .from(incidents)
    .where(and(isNotNull(incidents.clearedAt), gte(incidents.clearedAt, since), isNotNull(incidents.notifiedAt)))
    .all();
}

/** After a delivery: when it went out (if any channel took it) and why some channel did not. */
export function recordDelivery(gdb: GateDb, id: string, result: { kind: "alert" | "recovery"; sentAt: number | null; error: string | null }): Incident {
  const set: Partial<Incident> = { deliveryError: result.error };
  if (result.sentAt !== null) {
    if (result.kind === "alert") set.notifiedAt = result.sentAt;
    else set.recoveryNotifiedAt = result.sentAt;
  }
  gdb.db.update(incidents).set(set).where(eq(incidents.id, id)).run();
  return byId(gdb, id);
}

export function acknowledgeIncident(gdb: GateDb, id: string, by: string, now = Date.now()): boolean {
  return (
    gdb.db
      .update(incidents)
      .set({ acknowledgedAt: now, acknowledgedBy: by })
      .where(and(eq(incidents.id, id), isNull(incidents.acknowledgedAt)))
      .run().changes > 0
  );
}

export interface IncidentView extends Incident {
  ruleName: string;
  ruleKind: string;
  flowName: string | null;
}

export interface IncidentPage {
  items: IncidentView[];
  nextCursor: string | undefined;
}

/** Newest first; keyset pagination on (opened_at, id) like executions. */
export function listIncidents(
  gdb: GateDb,
  options: { status?: "open" | "cleared" | "all"; flowId?: string; limit: number; before?: string },
): IncidentPage {
  const where: SQL[] = [];
  if (options.status === "open") where.push(isNull(incidents.clearedAt));
  if (options.status === "cleared") where.push(isNotNull(incidents.clearedAt));
  if (options.flowId !== undefined) where.push(eq(incidents.flowId, options.flowId));
  if (options.before !== undefined) {
    const match = /^(\d+):(.+)$/.exec(options.before);
    if (match) where.push(sql`(${incidents.openedAt}, ${incidents.id}) < (${Number(match[1])}, ${match[2]!})`);
  }
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), 500);
  const rows = gdb.db
    .select({ incident: incidents, ruleName: alertRules.name, ruleKind: alertRules.kind, flowName: flows.name })
    .from(incidents)
    .innerJoin(alertRules, eq(alertRules.id, incidents.ruleId))
    .leftJoin(flows, eq(flows.id, incidents.flowId))
    .where(and(...where))
    .orderBy(desc(incidents.openedAt), desc(incidents.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map((r) => ({ ...r.incident, ruleName: r.ruleName, ruleKind: r.ruleKind, flowName: r.flowName }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.openedAt}:${last.id}` : undefined };
}
