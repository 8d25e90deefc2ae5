import { eq, sql } from "drizzle-orm";
import type { GateDb } from "../db/client";
import { EVENT_STATUSES, events, type EventStatus } from "../db/schema";

/** Events per status, every status present (zero when none). */
export function queueCounts(gdb: GateDb, flowId?: string): Record<EventStatus, number> {
  const rows = gdb.db
    .select({ status: events.status, count: sql<number>`count(*)` })
    .from(events)
    .where(flowId === undefined ? undefined : eq(events.flowId, flowId))
    .groupBy(events.status)
    .all();
  const counts = Object.fromEntries(EVENT_STATUSES.map((s) => [s, 0])) as Record<EventStatus, number>;
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}
