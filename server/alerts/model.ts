/**
 * The shapes of alert channels and rules, validated with zod both when people save them (tRPC) and
 * when they are read back from the JSON columns. Secrets appear only as credential names.
 */
import { z } from "zod";

const credentialName = z.string().trim().min(1).max(200);

export const EmailChannelConfig = z
  .object({
    host: z.string().trim().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** `starttls` upgrades and requires it; `tls` is implicit TLS (port 465); `none` is for a local relay. */
    security: z.enum(["starttls", "tls", "none"]).default("starttls"),
    /** A `basic` credential holding the SMTP user name and password; omit for a relay without auth. */
    credential: credentialName.optional(),
    from: z.email(),
    to: z.array(z.email()).min(1).max(50),
  })
  .strict();
export type EmailChannelConfig = z.infer<typeof EmailChannelConfig>;

export const WebhookChannelConfig = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** A `webhookSecret` credential (`whsec_…`): the body is signed per Standard Webhooks. */
    secretCredential: credentialName,
    timeoutMs: z.number().int().min(1_000).max(60_000).default(10_000),
  })
  .strict();
export type WebhookChannelConfig = z.infer<typeof WebhookChannelConfig>;

/** In-app needs nothing: the incidents table is the in-app list. */
export const InappChannelConfig = z.object({}).strict();

export const ChannelSpec = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("email"), config: EmailChannelConfig }),
  z.object({ kind: z.literal("webhook"), config: WebhookChannelConfig }),
  z.object({ kind: z.literal("inapp"), config: InappChannelConfig.default({}) }),
]);
export type ChannelSpec = z.infer<typeof ChannelSpec>;

const minutes = (fallback: number) => z.number().int().min(1).max(7 * 24 * 60).default(fallback);

export const RuleSpec = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("consecutiveFailures"),
    params: z.object({ failures: z.number().int().min(1).max(1000).default(3) }).strict().default({ failures: 3 }),
  }),
  z.object({
    kind: z.literal("failureRate"),
    params: z
      .object({
        /** Alert when more than this share of runs failed. */
        percent: z.number().min(0).max(100).default(50),
        windowMinutes: minutes(15),
        /** Too few runs say nothing about a rate: below this the rule stays quiet. */
        minRuns: z.number().int().min(1).max(100_000).default(5),
      })
      .strict()
      .default({ percent: 50, windowMinutes: 15, minRuns: 5 }),
  }),
  z.object({
    kind: z.literal("authFailures"),
    params: z.object({ failures: z.number().int().min(1).max(1000).default(1), windowMinutes: minutes(60) }).strict().default({ failures: 1, windowMinutes: 60 }),
  }),
  z.object({
    kind: z.literal("credentialExpiry"),
    params: z.object({ withinDays: z.number().int().min(1).max(365).default(14) }).strict().default({ withinDays: 14 }),
  }),
  z.object({
    kind: z.literal("rejectedWebhooks"),
    params: z.object({ rejections: z.number().int().min(1).max(1_000_000).default(20), windowMinutes: minutes(5) }).strict().default({ rejections: 20, windowMinutes: 5 }),
  }),
  z.object({
    kind: z.literal("dlqGrowth"),
    params: z.object({ added: z.number().int().min(1).max(1_000_000).default(10), windowMinutes: minutes(60) }).strict().default({ added: 10, windowMinutes: 60 }),
  }),
]);
export type RuleSpec = z.infer<typeof RuleSpec>;
export type RuleParams<K extends RuleSpec["kind"]> = Extract<RuleSpec, { kind: K }>["params"];

export const DEFAULT_COOLDOWN_MINUTES = 30;

const ChannelBase = z.object({ name: z.string().trim().min(1).max(100), enabled: z.boolean().default(true) });

export const ChannelInput = z.intersection(ChannelBase, ChannelSpec);
export type ChannelInput = z.input<typeof ChannelInput>;

/**
 * A channel as people edit it. People never get a webhook's URL back (see `ChannelView`), so an
 * edit may leave `url` out to keep the stored one; everything else is given whole, as on create.
 */
export const ChannelEdit = z.intersection(
  ChannelBase,
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("email"), config: EmailChannelConfig }),
    z.object({ kind: z.literal("webhook"), config: WebhookChannelConfig.partial({ url: true }) }),
    z.object({ kind: z.literal("inapp"), config: InappChannelConfig.default({}) }),
  ]),
);
export type ChannelEdit = z.input<typeof ChannelEdit>;

export const RuleInput = z.intersection(
  z.object({
    name: z.string().trim().min(1).max(100),
    /** null: every flow. */
    flowId: z.string().min(1).nullable().default(null),
    channelIds: z.array(z.string().min(1)).max(20).default([]),
    cooldownMinutes: z.number().int().min(0).max(7 * 24 * 60).default(DEFAULT_COOLDOWN_MINUTES),
    enabled: z.boolean().default(true),
  }),
  RuleSpec,
);
export type RuleInput = z.input<typeof RuleInput>;

/** A rule as the evaluator uses it. */
export type AlertRule = RuleSpec & {
  id: string;
  name: string;
  flowId: string | null;
  cooldownMs: number;
  enabled: boolean;
  channelIds: string[];
};

export type AlertChannel = ChannelSpec & { id: string; name: string; enabled: boolean };

/**
 * A channel as the API shows it. A webhook URL often is the receiver's secret (Slack, Discord and
 * Teams put the token in its path; others in the query), so only its scheme, host and port leave
 * the server, as `shownUrl`; the URL itself stays in the database and the sender.
 */
export type ChannelView =
  | Exclude<AlertChannel, { kind: "webhook" }>
  | { kind: "webhook"; id: string; name: string; enabled: boolean; config: Omit<WebhookChannelConfig, "url"> & { shownUrl: string } };

/** Rules whose condition depends on the runs of one flow: checked after each of its live runs. */
export const RUN_RULE_KINDS: ReadonlySet<RuleSpec["kind"]> = new Set(["consecutiveFailures", "failureRate", "authFailures"]);
