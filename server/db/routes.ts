/**
 * webhook_routes: the (method, path) → flow index that webhook ingress reads. It is derived data,
 * rebuilt from the current version's `trigger.webhook` nodes whenever an active flow is saved or
 * activated, and emptied when the flow is deactivated.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import type { FlowDocInput as FlowDoc } from "../engine/flow/schema";
import type { GateDb } from "./client";
import { StoreError } from "./errors";
import { flows, webhookRoutes } from "./schema";

export const WEBHOOK_NODE_TYPE = "trigger.webhook";

export interface RouteSpec {
  method: string;
  path: string;
  nodeId: string;
}

export interface WebhookRoute {
  flowId: string;
  version: number;
  /** The trigger node that receives the request. */
  nodeId: string;
}

/** Paths are stored without leading or trailing slashes, relative to /hooks/. */
export function normalizePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

function normalizeMethod(method: string): string {
  return method.toUpperCase();
}

/** The routes a flow document declares. Config was validated by the node's schema before saving. */
export function routesOf(doc: FlowDoc): RouteSpec[] {
  const routes: RouteSpec[] = [];
  for (const node of doc.nodes) {
    if (node.type !== WEBHOOK_NODE_TYPE) continue;
    const { path, method } = node.config ?? {};
    if (typeof path !== "string") continue;
    routes.push({ method: normalizeMethod(typeof method === "string" ? method : "POST"), path: normalizePath(path), nodeId: node.id });
  }
  return routes;
}

/**
 * Replace the flow's routes with those of `doc` (none when `doc` is undefined, i.e. inactive).
 * Throws ROUTE_TAKEN naming the other flow when a route belongs to another active flow. Call inside
 * a write transaction so that a refusal leaves the previous routes in place.
 */
export function syncWebhookRoutes(gdb: GateDb, flowId: string, doc: FlowDoc | undefined): void {
  gdb.db.delete(webhookRoutes).where(eq(webhookRoutes.flowId, flowId)).run();
  if (!doc) return;
  const seen = new Map<string, string>();
  for (const route of routesOf(doc)) {
    const key = `${route.method} ${route.path}`;
    const twin = seen.get(key);
    if (twin !== undefined)
      throw new StoreError("ROUTE_TAKEN", `webhook ${route.method} /hooks/${route.path} is used by two triggers of this flow ("${twin}" and "${route.nodeId}")`);
    seen.set(key, route.nodeId);
    const other = gdb.db
      .select({ name: flows.name })
      .from(webhookRoutes)
      .innerJoin(flows, eq(flows.id, webhookRoutes.flowId))
      .where(and(eq(webhookRoutes.method, route.method), eq(webhookRoutes.path, route.path), ne(webhookRoutes.flowId, flowId)))
      .get();
    if (other)
      throw new StoreError(
        "ROUTE_TAKEN",
        `webhook ${route.method} /hooks/${route.path} is already used by the active flow "${other.name}": deactivate that flow or change the path of node "${route.nodeId}"`,
      );
    gdb.db.insert(webhookRoutes).values({ flowId, ...route }).run();
  }
}

/** The active flow (and its current version) that answers `method /hooks/<path>`, if any. */
export function findWebhookRoute(gdb: GateDb, method: string, path: string): WebhookRoute | undefined {
  let query = lookups.get(gdb);
  if (!query) {
    query = prepareLookup(gdb);
    lookups.set(gdb, query);
  }
  return query.get({ method: normalizeMethod(method), path: normalizePath(path) });
}

// Webhook ingress is the hot path: build and prepare the lookup once per database, not per request.
const lookups = new WeakMap<GateDb, ReturnType<typeof prepareLookup>>();

function prepareLookup(gdb: GateDb) {
  return gdb.db
    .select({ flowId: webhookRoutes.flowId, version: flows.currentVersion, nodeId: webhookRoutes.nodeId })
    .from(webhookRoutes)
    .innerJoin(flows, eq(flows.id, webhookRoutes.flowId))
    .where(and(eq(webhookRoutes.method, sql.placeholder("method")), eq(webhookRoutes.path, sql.placeholder("path")), eq(flows.active, true)))
    .prepare();
}
