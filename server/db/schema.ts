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
    /** Extra attempts made by the retry policy at this node. */
    retries: integer("retries").notNull().default(0),
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

export const EVENT_STATUSES = ["queued", "leased", "done", "failed"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * The durable queue of accepted webhook events. A row is committed (fsync'ed) before the sender
 * gets its 202, and stays until retention prunes it; workers lease queued rows (`lease_until`), and
 * a lease that expires (a crash) makes the row leasable again.
 */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    flowId: text("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    /** The version that was active when the event was accepted; the run uses it. */
    flowVersion: integer("flow_version").notNull(),
    triggerNodeId: text("trigger_node_id").notNull(),
    /** JSON: the parsed body (an array body is one item per element). */
    payload: text("payload").notNull(),
    /** JSON: method, path, query, redacted headers, source IP, content type. */
    request: text("request").notNull(),
    /** The sender's delivery id (or a body hash); unique per flow so a redelivery starts no second run. */
    idempotencyKey: text("idempotency_key"),
    status: text("status", { enum: EVENT_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    leaseUntil: integer("lease_until"),
    createdAt: integer("created_at").notNull(),
    finishedAt: integer("finished_at"),
    executionId: text("execution_id"),
    /** JSON RunError-like `{code, message}` when the event failed. */
    error: text("error"),
    /** JSON: the synchronous answer of a respond-mode run, replayed to a redelivery. */
    response: text("response"),
  },
  (t) => [
    uniqueIndex("events_flow_idempotency_unique").on(t.flowId, t.idempotencyKey),
    // Leasing scans only unfinished rows, oldest first.
    index("events_pending_idx").on(t.createdAt).where(sql`status in ('queued', 'leased')`),
    index("events_flow_created_idx").on(t.flowId, t.createdAt, t.id),
    index("events_created_idx").on(t.createdAt, t.id),
    check("events_status_check", sql`${t.status} in ('queued', 'leased', 'done', 'failed')`),
  ],
);

export const WEBHOOK_OUTCOMES = ["accepted", "duplicate", "responded", "rejected"] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** Every request to /hooks/*, accepted or not, with why it was refused. Headers are stored redacted. */
export const webhookLog = sqliteTable(
  "webhook_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    /** Null when no active flow answers the path. */
    flowId: text("flow_id").references(() => flows.id, { onDelete: "set null" }),
    sourceIp: text("source_ip").notNull(),
    bytes: integer("bytes").notNull(),
    latencyMs: real("latency_ms").notNull(),
    status: integer("status").notNull(),
    outcome: text("outcome", { enum: WEBHOOK_OUTCOMES }).notNull(),
    reason: text("reason"),
    /** JSON object, secrets redacted. */
    headers: text("headers").notNull(),
    eventId: text("event_id"),
  },
  (t) => [
    index("webhook_log_at_idx").on(t.at),
    index("webhook_log_flow_idx").on(t.flowId, t.id),
    index("webhook_log_outcome_idx").on(t.outcome, t.id),
  ],
);

// --- Users and sign-in: the tables better-auth's drizzle adapter reads and writes (its core schema,
// with Gate's `role` on the user). Dates are milliseconds, as everywhere here.
export const USER_ROLES = ["admin", "editor", "analyst", "viewer"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const user = sqliteTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
  image: text("image"),
  role: text("role", { enum: USER_ROLES }).notNull().default("viewer"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export const session = sqliteTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
  },
  (t) => [index("session_user_idx").on(t.userId)],
);

export const account = sqliteTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: integer("access_token_expires_at", { mode: "timestamp_ms" }),
    refreshTokenExpiresAt: integer("refresh_token_expires_at", { mode: "timestamp_ms" }),
    scope: text("scope"),
    /** A password hash (scrypt, by better-auth), never the password. */
    password: text("password"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("account_user_idx").on(t.userId)],
);

export const verification = sqliteTable("verification", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Who did what: sign-ins (and failures), user and role changes, credential creation, rotation and
 * use, flow edits and activation, and "suspicious" entries raised from repeated failures. Details
 * never hold secret values.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    /** The user's email, "system", or "anonymous". */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    outcome: text("outcome", { enum: ["ok", "denied", "failed", "suspicious"] }).notNull(),
    sourceIp: text("source_ip"),
    /** JSON. */
    detail: text("detail"),
  },
  (t) => [index("audit_at_idx").on(t.at), index("audit_action_idx").on(t.action, t.at)],
);

// --- Alerts (server/alerts): where notifications go, what raises them, and the incidents raised.
export const ALERT_CHANNEL_KINDS = ["email", "webhook", "inapp"] as const;
export type AlertChannelKind = (typeof ALERT_CHANNEL_KINDS)[number];
export const ALERT_RULE_KINDS = ["consecutiveFailures", "failureRate", "authFailures", "credentialExpiry", "rejectedWebhooks", "dlqGrowth"] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/**
 * A destination for alerts. `config` is JSON validated by server/alerts/model.ts; secrets (the SMTP
 * password, the webhook signing secret) are referenced by credential name and resolved from the
 * vault when sending, never stored here.
 */
export const alertChannels = sqliteTable(
  "alert_channels",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ALERT_CHANNEL_KINDS }).notNull(),
    config: text("config").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("alert_channels_name_unique").on(t.name), check("alert_channels_kind_check", sql`${t.kind} in ('email', 'webhook', 'inapp')`)],
);

/** A condition worth telling someone about, for one flow or (flow_id NULL) every flow. */
export const alertRules = sqliteTable(
  "alert_rules",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ALERT_RULE_KINDS }).notNull(),
    /** JSON, per kind (server/alerts/model.ts). */
    params: text("params").notNull(),
    flowId: text("flow_id").references(() => flows.id, { onDelete: "cascade" }),
    /** No second notification for the same open incident within this time. */
    cooldownMs: integer("cooldown_ms").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("alert_rules_name_unique").on(t.name), index("alert_rules_flow_idx").on(t.flowId)],
);

/** Which channels a rule notifies; deleting a channel simply drops it from its rules. */
export const alertRuleChannels = sqliteTable(
  "alert_rule_channels",
  {
    ruleId: text("rule_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    channelId: text("channel_id")
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.channelId] })],
);

/**
 * One row per incident: a rule's condition holding for one key (a flow, a credential). At most one
 * open row per rule and key (the partial unique index), which is what groups repeated failures
 * into one alert. The rows are also the in-app alert list.
 */
export const incidents = sqliteTable(
  "incidents",
  {
    id: text("id").primaryKey(),
    ruleId: text("rule_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    flowId: text("flow_id").references(() => flows.id, { onDelete: "cascade" }),
    /** What the incident is about within its rule: `flow:<id>`, `credential:<name>`, … */
    key: text("key").notNull(),
    openedAt: integer("opened_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    clearedAt: integer("cleared_at"),
    /** Set when the condition came back within the flap window and the incident was re-opened. */
    reopenedAt: integer("reopened_at"),
    reopenCount: integer("reopen_count").notNull().default(0),
    /** The last alert (problem) notification sent; NULL while none went out yet. */
    notifiedAt: integer("notified_at"),
    recoveryNotifiedAt: integer("recovery_notified_at"),
    acknowledgedAt: integer("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
    /** How many checks found the condition holding. */
    count: integer("count").notNull().default(1),
    /** What is wrong, as last seen while open. */
    summary: text("summary").notNull(),
    /** How it cleared (e.g. "ran successfully again"); NULL while open. */
    resolution: text("resolution"),
    /** Why the last delivery failed on some channel (secrets scrubbed); NULL after a clean one. */
    deliveryError: text("delivery_error"),
  },
  (t) => [
    uniqueIndex("incidents_open_unique").on(t.ruleId, t.key).where(sql`cleared_at is null`),
    index("incidents_rule_key_idx").on(t.ruleId, t.key, t.clearedAt),
    index("incidents_opened_idx").on(t.openedAt, t.id),
  ],
);

// --- Dead letters (server/dlq): queued events whose run failed with no fallback, kept for replay.
export const DEAD_LETTER_STATUSES = ["open", "replayed", "discarded"] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/**
 * One row per failed event (unique on `event_id`: the same event failing again, after a crash or a
 * replay, updates its row). The payload is a copy that people may edit before a replay; the
 * event row keeps what was received.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    /** The queued event; its id is the base of the idempotency keys a replay sends again. */
    eventId: text("event_id").notNull(),
    flowId: text("flow_id")
      .notNull()
      .references(() => flows.id, { onDelete: "cascade" }),
    /** The version that ran (a replay may choose it or the current one). */
    flowVersion: integer("flow_version").notNull(),
    triggerNodeId: text("trigger_node_id").notNull(),
    /** JSON: the trigger payload, possibly edited. */
    payload: text("payload").notNull(),
    /** JSON: the request meta of a webhook event, or null. */
    request: text("request").notNull(),
    /** The node that failed; null when the run failed as a whole (time limit, flow gone). */
    failedNode: text("failed_node"),
    /** JSON array: every item that reached the failed node, when the run record kept them all. */
    failedInput: text("failed_input"),
    /** JSON RunError. */
    error: text("error").notNull(),
    /** Runs that ended in this dead letter (the first failure and failed replays). */
    failures: integer("failures").notNull().default(1),
    executionId: text("execution_id"),
    status: text("status", { enum: DEAD_LETTER_STATUSES }).notNull().default("open"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Set when someone edited the payload; a replay from the failed node would ignore the edit. */
    editedAt: integer("edited_at"),
    replayedAt: integer("replayed_at"),
    replayExecutionId: text("replay_execution_id"),
  },
  (t) => [
    uniqueIndex("dead_letters_event_unique").on(t.eventId),
    index("dead_letters_flow_idx").on(t.flowId, t.status, t.createdAt),
    index("dead_letters_created_idx").on(t.createdAt, t.id),
    check("dead_letters_status_check", sql`${t.status} in ('open', 'replayed', 'discarded')`),
  ],
);
