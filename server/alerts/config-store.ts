/**
 * Alert channels and rules as people manage them. Input is validated with the zod shapes of
 * model.ts; stored JSON is parsed with the same shapes on the way out, so a row edited by hand
 * cannot smuggle a bad config into the sender.
 */
import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import type { GateDb } from "../db/client";
import { alertChannels, alertRuleChannels, alertRules, flows } from "../db/schema";
import { ChannelEdit, ChannelInput, ChannelSpec, RuleInput, RuleSpec, type AlertChannel, type AlertRule, type ChannelView } from "./model";

export class AlertConfigError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "NAME_TAKEN" | "UNKNOWN_FLOW" | "UNKNOWN_CHANNEL" | "URL_REQUIRED",
    message: string,
  ) {
    super(message);
    this.name = "AlertConfigError";
  }
}

type ChannelRow = typeof alertChannels.$inferSelect;
type RuleRow = typeof alertRules.$inferSelect;

function toChannel(row: ChannelRow): AlertChannel {
  const spec = ChannelSpec.parse({ kind: row.kind, config: JSON.parse(row.config) as unknown });
  return { ...spec, id: row.id, name: row.name, enabled: row.enabled };
}

export function listChannels(gdb: GateDb): AlertChannel[] {
  return gdb.db.select().from(alertChannels).orderBy(alertChannels.name).all().map(toChannel);
}

export function getChannels(gdb: GateDb, ids: readonly string[]): AlertChannel[] {
  if (!ids.length) return [];
  return gdb.db.select().from(alertChannels).where(inArray(alertChannels.id, [...ids])).orderBy(alertChannels.name).all().map(toChannel);
}

export function saveChannel(gdb: GateDb, raw: ChannelInput, id?: string): AlertChannel {
  const input = ChannelInput.parse(raw);
  const now = Date.now();
  const taken = gdb.db.select({ id: alertChannels.id }).from(alertChannels).where(eq(alertChannels.name, input.name)).get();
  if (taken && taken.id !== id) throw new AlertConfigError("NAME_TAKEN", `an alert channel named "${input.name}" already exists`);
  const values = { name: input.name, kind: input.kind, config: JSON.stringify(input.config), enabled: input.enabled, updatedAt: now };
  if (id) {
    if (gdb.db.update(alertChannels).set(values).where(eq(alertChannels.id, id)).run().changes === 0)
      throw new AlertConfigError("NOT_FOUND", `alert channel ${id} not found`);
  } else {
    id = randomUUID();
    gdb.db.insert(alertChannels).values({ id, ...values, createdAt: now }).run();
  }
  return toChannel(gdb.db.select().from(alertChannels).where(eq(alertChannels.id, id)).get()!);
}

/**
 * Apply an edit. A webhook edit without `url` keeps the stored URL (people never see it, so they
 * cannot send it back); a channel that becomes a webhook must be given one.
 */
export function updateChannel(gdb: GateDb, id: string, raw: ChannelEdit): AlertChannel {
  const edit = ChannelEdit.parse(raw);
  if (edit.kind !== "webhook") return saveChannel(gdb, edit, id);
  return saveChannel(gdb, { ...edit, config: { ...edit.config, url: edit.config.url ?? storedWebhookUrl(gdb, id) } }, id);
}

function storedWebhookUrl(gdb: GateDb, id: string): string {
  const row = gdb.db.select().from(alertChannels).where(eq(alertChannels.id, id)).get();
  if (!row) throw new AlertConfigError("NOT_FOUND", `alert channel ${id} not found`);
  const stored = toChannel(row);
  if (stored.kind !== "webhook")
    throw new AlertConfigError("URL_REQUIRED", `alert channel "${stored.name}" is ${stored.kind === "email" ? "an email" : "an in-app"} channel: give the URL the webhook should be sent to`);
  return stored.config.url;
}

/** What people see of a channel: everything but a webhook's URL, of which only the origin is shown. */
export function channelView(channel: AlertChannel): ChannelView {
  if (channel.kind !== "webhook") return channel;
  const { url, ...config } = channel.config;
  const parsed = new URL(url);
  // The origin has no user name or password; a path or query is marked, never shown.
  const shownUrl = `${parsed.origin}/${parsed.pathname === "/" && !parsed.search ? "" : "…"}`;
  return { ...channel, config: { ...config, shownUrl } };
}

export function removeChannel(gdb: GateDb, id: string): boolean {
  return gdb.db.delete(alertChannels).where(eq(alertChannels.id, id)).run().changes > 0;
}

function channelIdsByRule(gdb: GateDb, ruleIds: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (!ruleIds.length) return map;
  for (const row of gdb.db.select().from(alertRuleChannels).where(inArray(alertRuleChannels.ruleId, [...ruleIds])).all())
    (map.get(row.ruleId) ?? map.set(row.ruleId, []).get(row.ruleId)!).push(row.channelId);
  return map;
}

function toRule(row: RuleRow, channelIds: string[]): AlertRule {
  const spec = RuleSpec.parse({ kind: row.kind, params: JSON.parse(row.params) as unknown });
  return { ...spec, id: row.id, name: row.name, flowId: row.flowId, cooldownMs: row.cooldownMs, enabled: row.enabled, channelIds };
}

export function listRules(gdb: GateDb, options: { enabledOnly?: boolean } = {}): AlertRule[] {
  const rows = gdb.db
    .select()
    .from(alertRules)
    .where(options.enabledOnly ? eq(alertRules.enabled, true) : undefined)
    .orderBy(alertRules.name)
    .all();
  const channels = channelIdsByRule(
    gdb,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toRule(r, channels.get(r.id) ?? []));
}

export function getRule(gdb: GateDb, id: string): AlertRule | undefined {
  const row = gdb.db.select().from(alertRules).where(eq(alertRules.id, id)).get();
  return row ? toRule(row, channelIdsByRule(gdb, [id]).get(id) ?? []) : undefined;
}

export function saveRule(gdb: GateDb, raw: RuleInput, id?: string): AlertRule {
  const input = RuleInput.parse(raw);
  const now = Date.now();
  const ruleId = id ?? randomUUID();
  gdb.sqlite.transaction(() => {
    const taken = gdb.db.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.name, input.name)).get();
    if (taken && taken.id !== id) throw new AlertConfigError("NAME_TAKEN", `an alert rule named "${input.name}" already exists`);
    if (input.flowId !== null && !gdb.db.select({ id: flows.id }).from(flows).where(eq(flows.id, input.flowId)).get())
      throw new AlertConfigError("UNKNOWN_FLOW", `flow ${input.flowId} does not exist`);
    const channelIds = [...new Set(input.channelIds)];
    const known = getChannels(gdb, channelIds).map((c) => c.id);
    const missing = channelIds.filter((c) => !known.includes(c));
    if (missing.length) throw new AlertConfigError("UNKNOWN_CHANNEL", `unknown alert channel(s): ${missing.join(", ")}`);
    const values = {
      name: input.name,
      kind: input.kind,
      params: JSON.stringify(input.params),
      flowId: input.flowId,
      cooldownMs: input.cooldownMinutes * 60_000,
      enabled: input.enabled,
      updatedAt: now,
    };
    if (id) {
      if (gdb.db.update(alertRules).set(values).where(eq(alertRules.id, id)).run().changes === 0)
        throw new AlertConfigError("NOT_FOUND", `alert rule ${id} not found`);
      gdb.db.delete(alertRuleChannels).where(eq(alertRuleChannels.ruleId, id)).run();
    } else {
      gdb.db.insert(alertRules).values({ id: ruleId, ...values, createdAt: now }).run();
    }
    for (const channelId of channelIds) gdb.db.insert(alertRuleChannels).values({ ruleId, channelId }).run();
  })();
  return getRule(gdb, ruleId)!;
}

export function removeRule(gdb: GateDb, id: string): boolean {
  return gdb.db.delete(alertRules).where(eq(alertRules.id, id)).run().changes > 0;
}
