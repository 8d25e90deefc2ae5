/**
 * Flows and their version history. A flow row holds identity and state (name, active, which
 * version is current); every save appends an immutable version, so executions can always point at
 * the exact document they ran. Documents are validated by the caller and stored as JSON text.
 */
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { FlowDocInput as FlowDoc } from "../engine/flow/schema";
import { writeTransaction, type GateDb } from "./client";
import { StoreError } from "./errors";
import { syncWebhookRoutes } from "./routes";
import { executions, flowVersions, flows, type ExecutionStatus } from "./schema";

export { findWebhookRoute, type WebhookRoute } from "./routes";

export interface StoredFlow {
  id: string;
  name: string;
  active: boolean;
  /** The current version number. */
  version: number;
  /** The current version's document. */
  doc: FlowDoc;
  createdAt: number;
  updatedAt: number;
}

export interface FlowSummary extends Omit<StoredFlow, "doc"> {
  lastExecution: { id: string; status: ExecutionStatus; startedAt: number } | undefined;
}

export interface FlowVersionInfo {
  version: number;
  note: string | null;
  createdAt: number;
}

export interface StoredFlowVersion extends FlowVersionInfo {
  flowId: string;
  doc: FlowDoc;
}

/** Create a flow with `doc` as version 1. Throws NAME_TAKEN, or ROUTE_TAKEN when activating. */
export function createFlow(gdb: GateDb, doc: FlowDoc, options: { active?: boolean; note?: string } = {}): StoredFlow {
  const id = crypto.randomUUID();
  const now = Date.now();
  const active = options.active ?? false;
  writeTransaction(gdb, () => {
    assertNameFree(gdb, doc.name);
    gdb.db.insert(flows).values({ id, name: doc.name, active, currentVersion: 1, createdAt: now, updatedAt: now }).run();
    gdb.db.insert(flowVersions).values({ flowId: id, version: 1, doc: JSON.stringify(doc), note: options.note ?? null, createdAt: now }).run();
    if (active) syncWebhookRoutes(gdb, id, doc);
  });
  flowChanged(gdb, id);
  return { id, name: doc.name, active, version: 1, doc, createdAt: now, updatedAt: now };
}

/**
 * Save `doc` as the flow's new current version and return its number. The flow's name follows
 * `doc.name`; an active flow's webhook routes follow its trigger nodes (a route taken by another
 * active flow refuses the whole save).
 */
export function saveFlowVersion(gdb: GateDb, flowId: string, doc: FlowDoc, note?: string): number {
  return writeTransaction(gdb, () => {
    const flow = requireFlow(gdb, flowId);
    if (doc.name !== flow.name) assertNameFree(gdb, doc.name, flowId);
    const version = flow.currentVersion + 1;
    const now = Date.now();
    gdb.db.insert(flowVersions).values({ flowId, version, doc: JSON.stringify(doc), note: note ?? null, createdAt: now }).run();
    gdb.db.update(flows).set({ name: doc.name, currentVersion: version, updatedAt: now }).where(eq(flows.id, flowId)).run();
    if (flow.active) syncWebhookRoutes(gdb, flowId, doc);
    flowChanged(gdb, flowId);
    return version;
  });
}

/** A flow by id, or else by exact name, with its current document. */
export function getFlow(gdb: GateDb, idOrName: string): StoredFlow | undefined {
  const query = (where: ReturnType<typeof eq>) =>
    gdb.db
      .select({
        id: flows.id,
        name: flows.name,
        active: flows.active,
        version: flows.currentVersion,
        doc: flowVersions.doc,
        createdAt: flows.createdAt,
        updatedAt: flows.updatedAt,
      })
      .from(flows)
      .innerJoin(flowVersions, and(eq(flowVersions.flowId, flows.id), eq(flowVersions.version, flows.currentVersion)))
      .where(where)
      .get();
  const row = query(eq(flows.id, idOrName)) ?? query(eq(flows.name, idOrName));
  return row && { ...row, doc: readDoc(row.doc) };
}

/** All flows by name, each with its most recent execution (if any). */
export function listFlows(gdb: GateDb): FlowSummary[] {
  const last = alias(executions, "last_execution");
  // Correlated subquery: one probe of executions_flow_started_idx per flow.
  const lastId = sql`(SELECT e.id FROM executions e WHERE e.flow_id = ${flows.id} ORDER BY e.started_at DESC, e.id DESC LIMIT 1)`;
  const rows = gdb.db
    .select({
      id: flows.id,
      name: flows.name,
      active: flows.active,
      version: flows.currentVersion,
      createdAt: flows.createdAt,
      updatedAt: flows.updatedAt,
      lastId: last.id,
      lastStatus: last.status,
      lastStartedAt: last.startedAt,
    })
    .from(flows)
    .leftJoin(last, eq(last.id, lastId))
    .orderBy(flows.name)
    .all();
  return rows.map(({ lastId, lastStatus, lastStartedAt, ...flow }) => ({
    ...flow,
    lastExecution: lastId !== null && lastStatus !== null && lastStartedAt !== null ? { id: lastId, status: lastStatus, startedAt: lastStartedAt } : undefined,
  }));
}

/** The flow's versions, newest first (documents left out: fetch one with getFlowVersion). */
export function listVersions(gdb: GateDb, flowId: string): FlowVersionInfo[] {
  return gdb.db
    .select({ version: flowVersions.version, note: flowVersions.note, createdAt: flowVersions.createdAt })
    .from(flowVersions)
    .where(eq(flowVersions.flowId, flowId))
    .orderBy(desc(flowVersions.version))
    .all();
}

export function getFlowVersion(gdb: GateDb, flowId: string, version: number): StoredFlowVersion | undefined {
  const row = gdb.db
    .select()
    .from(flowVersions)
    .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.version, version)))
    .get();
  return row && { ...row, doc: readDoc(row.doc) };
}

/** Switch a flow on or off. Activating claims its webhook routes; throws ROUTE_TAKEN if one is in use. */
export function setFlowActive(gdb: GateDb, flowId: string, active: boolean): void {
  writeTransaction(gdb, () => {
    requireFlow(gdb, flowId);
    gdb.db.update(flows).set({ active, updatedAt: Date.now() }).where(eq(flows.id, flowId)).run();
    syncWebhookRoutes(gdb, flowId, active ? getFlow(gdb, flowId)?.doc : undefined);
  });
  flowChanged(gdb, flowId);
}

/**
 * Rename a flow. The name is part of the document, and versions are immutable, so this saves a
 * new version whose only change is `name`; returns its number (the current one if nothing changed).
 */
export function renameFlow(gdb: GateDb, flowId: string, name: string): number {
  return writeTransaction(gdb, () => {
    const flow = getFlow(gdb, flowId);
    if (!flow || flow.id !== flowId) throw notFound(flowId);
    if (flow.name === name) return flow.version;
    return saveFlowVersion(gdb, flowId, { ...flow.doc, name }, `renamed from "${flow.name}"`);
  });
}

/** Delete a flow with its versions, routes and executions. Returns whether it existed. */
export function deleteFlow(gdb: GateDb, flowId: string): boolean {
  // Foreign keys cascade to flow_versions, webhook_routes, executions and execution_nodes.
  const existed = gdb.db.delete(flows).where(eq(flows.id, flowId)).run().changes > 0;
  if (existed) flowChanged(gdb, flowId);
  return existed;
}

export type FlowChangeListener = (flowId: string) => void;
const changeListeners = new WeakMap<GateDb, Set<FlowChangeListener>>();

/**
 * Be told when a flow is created, saved, switched on or off, or deleted in this process (the
 * scheduler re-reads its triggers). A listener may be called inside a transaction that can still
 * roll back, so it should only note the change and read the database later. Returns an unsubscribe.
 */
export function onFlowChanged(gdb: GateDb, listener: FlowChangeListener): () => void {
  let listeners = changeListeners.get(gdb);
  if (!listeners) changeListeners.set(gdb, (listeners = new Set()));
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

function flowChanged(gdb: GateDb, flowId: string): void {
  for (const listener of changeListeners.get(gdb) ?? []) listener(flowId);
}

function requireFlow(gdb: GateDb, flowId: string) {
  const flow = gdb.db.select().from(flows).where(eq(flows.id, flowId)).get();
  if (!flow) throw notFound(flowId);
  return flow;
}

function notFound(flowId: string): StoreError {
  return new StoreError("NOT_FOUND", `there is no flow with id "${flowId}"`);
}

function assertNameFree(gdb: GateDb, name: string, exceptId?: string): void {
  const where = exceptId === undefined ? eq(flows.name, name) : and(eq(flows.name, name), ne(flows.id, exceptId));
  if (gdb.db.select({ id: flows.id }).from(flows).where(where).get())
    throw new StoreError("NAME_TAKEN", `a flow named "${name}" already exists`);
}

/** Documents were validated before they were stored; parsing them again on every read would only cost time. */
function readDoc(text: string): FlowDoc {
  return JSON.parse(text) as FlowDoc;
}
