import { and, eq } from "drizzle-orm";
import type { GateDb } from "../../db/client";
import { flows, webhookRoutes } from "../../db/schema";

/** Methods an active flow takes at this path (for 405 and Allow), when the method asked is not one. */
export function allowedMethods(gdb: GateDb, path: string): string[] {
  return gdb.db
    .select({ method: webhookRoutes.method })
    .from(webhookRoutes)
    .innerJoin(flows, eq(flows.id, webhookRoutes.flowId))
    .where(and(eq(webhookRoutes.path, path), eq(flows.active, true)))
    .all()
    .map((r) => r.method)
    .sort();
}
