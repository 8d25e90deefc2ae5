/**
 * The SQLite schema. Conventions, kept in every table:
 * - timestamps are integers, milliseconds since the epoch (`*_at`): cheap to compare for heartbeats
 *   and retention, and they cross tRPC as plain numbers;
 * - JSON lives in TEXT columns, serialized by the module that owns the table; the size caps for
 *   payloads and samples live in json.ts, which builds capped JSON from per-item strings (drizzle's
 *   json mode would stringify everything a second time);
 * - booleans are 0/1 integers.
 * Change this file, then run `npm run db:generate`; never edit the generated SQL in drizzle/.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const EXECUTION_MODES = ["test", "live"] as const;
export const EXECUTION_STATUSES = ["running", "success", "failed", "cancelled"] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const flows = sqliteTable(
  "flows",
  {
    id: text("id").primaryKey(),
    /** Mirrors the current version's `doc.name`; unique so people can address a flow by name. */
    name: text("name").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(false),
    currentVersion: integer("current_version").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("flows_name_unique").on(t.name)],
);

/** Every save is a new immutable version; `flows.current_version` points at the live one. */
export const flowVersions = sqliteTable(
  "flow_versions",
  {
    flowId: text("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** The FlowDoc as JSON. */
    doc: text("doc").notNull(),
    note: text("note"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

/**
 * Derived from the `trigger.webhook` nodes of each ACTIVE flow's current version, so webhook
 * ingress finds its flow with one indexed lookup and never parses a flow document.
 */
export const webhookRoutes = sqliteTable(
  "webhook_routes",
  {
    method: text("method").notNull(),
    /** As written in the node config: no leading slash, relative to /hooks/. */
    path: text("path").notNull(),
    flowId: text("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    /** Which trigger receives the request (a flow may have several webhook triggers). */
    nodeId: text("node_id").notNull(),
  },
  (t) => [uniqueIndex("webhook_routes_method_path_unique").on(t.method, t.path), index("webhook_routes_flow_idx").on(t.flowId)],
);

export const executions = sqliteTable(
  "executions",
  {
    id: text("id").primaryKey(),
    flowId: text("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    flowVersion: integer("flow_version").notNull(),
    mode: text("mode", { enum: EXECUTION_MODES }).notNull(),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull(),
    /** JSON, at most 64 KiB; a bigger payload is replaced by `{"truncated":true,"bytes":N}`. */
    triggerPayload: text("trigger_payload"),
    /** JSON RunError. */
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    durationMs: integer("duration_ms"),
    /** Bumped by the worker while the run is alive; a stale one marks a run lost in a crash. */
    heartbeatAt: integer("heartbeat_at").notNull(),
    cancelRequested: integer("cancel_requested", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    // (started_at, id) is the keyset for newest-first pagination; id breaks ties between runs
    // that started in the same millisecond.
    index("executions_flow_started_idx").on(t.flowId, t.startedAt, t.id),
    index("executions_started_idx").on(t.startedAt, t.id),
    // Small partial index: heartbeats, cancellation checks and crash recovery only touch running rows.
    index("executions_running_idx").on(t.heartbeatAt).where(sql`status = 'running'`),
    check("executions_mode_check", sql`${t.mode} in ('test', 'live')`),
    check("executions_status_check", sql`${t.status} in ('running', 'success', 'failed', 'cancelled')`),
  ],
);

/**
 * One row per node of a finished execution (skipped nodes included, so the UI can draw the whole
 * graph). Sample columns hold NodeRecord's `input` (JSON array) and `output` (JSON object: port →
 * array), at most SAMPLE_SIZE items per port and at most 64 KiB of JSON each. When the byte cap
 * dropped items, `sample_truncated` says how many per column and port, e.g.
 * `{"input":3,"output":{"main":20}}`; it is NULL when the samples are complete. Keeping the note in
 * its own column leaves the sample columns in exactly NodeRecord's shape.
 */
export const executionNodes = sqliteTable(
  "execution_nodes",
  {
    executionId: text("execution_id")
      .notNull()
      .references(() => executions.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    /** Position in the run record (topological order), so a read returns nodes as they ran. */
    seq: integer("seq").notNull(),
    status: text("status").notNull(),
    /** REAL: fast nodes take a fraction of a millisecond and that is worth seeing. */
    durationMs: real("duration_ms").notNull(),
    itemsIn: integer("items_in").notNull(),
    itemsOut: integer("items_out").notNull(),
    batches: integer("batches").notNull(),
    inputSample: text("input_sample").notNull(),
    outputSample: text("output_sample").notNull(),
    outputCounts: text("output_counts").notNull(),
    sampleTruncated: text("sample_truncated"),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.nodeId] })],
);

/**
 * Durable state of a flow's nodes (cursors, watermarks, seen keys), keyed by flow and then by a
 * key the owner chooses (`<nodeId>:<name>`). Not tied to a version: saving or re-activating a
 * flow never resets a cursor.
 */
export const flowState = sqliteTable(
  "flow_state",
  {
    flowId: text("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** JSON. */
    value: text("value").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.key] })],
);

/**
 * Credentials: metadata in clear, the secret data sealed by the vault (AES-256-GCM; the nonce, tag
 * and key version travel inside `sealed`, and the AAD binds it to the row id and key version).
 */
export const credentials = sqliteTable(
  "credentials",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    sealed: text("sealed").notNull(),
    /** The previous secret after a rotation, accepted for inbound checks until `previous_until`. */
    previousSealed: text("previous_sealed"),
    previousUntil: integer("previous_until"),
    /** SHA-256 of the secret data, first 12 hex chars, and the last 4 characters of the main secret. */
    fingerprint: text("fingerprint").notNull(),
    last4: text("last4").notNull(),
    keyVersion: integer("key_version").notNull(),
    rotationDays: integer("rotation_days"),
    /** OAuth token expiry or certificate notAfter, when known. */
    expiresAt: integer("expires_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    lastRotatedAt: integer("last_rotated_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("credentials_name_unique").on(t.name)],
);
