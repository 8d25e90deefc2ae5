import { createHash } from "node:crypto";
import {
  NodeError,
  credentialData,
  credentialRef,
  defineNode,
  deliveryFor,
  exprable,
  httpStatusError,
  redactUrl,
  retryAfterMs,
  standardWebhookSignature,
  toNodeError,
  z,
  type Credential,
  type HttpResponse,
  type NodeContext,
} from "../sdk";

export const WebhookSendConfig = z
  .object({
    url: exprable(z.string().min(1)).meta({ title: "Endpoint URL", description: "The receiver's https:// address" }),
    credential: credentialRef().meta({ title: "Signing secret", description: "A webhookSecret credential (whsec_…)" }),
    payload: exprable(z.unknown()).optional().meta({ title: "Payload", description: "Default: the item; or an expression building the event" }),
    eventType: exprable(z.string().min(1))
      .optional()
      .meta({ title: "Event type", description: 'When set, the body is {"type", "timestamp", "data": payload}' }),
    webhookId: exprable(z.string().min(1).max(255))
      .optional()
      .meta({ title: "Message id", description: "Default: derived from the execution, node and item — the same on every retry" }),
    headers: z.record(z.string(), exprable(z.string())).default({}).meta({ title: "Extra headers" }),
    timeoutMs: z.number().int().min(100).max(120_000).default(15_000).meta({ title: "Timeout (ms)" }),
    onGone: z
      .enum(["disable", "failRun"])
      .default("disable")
      .meta({
        title: "After 410 Gone",
        description:
          "disable: the receiver retired this URL, later runs fail at once (ENDPOINT_DISABLED) without sending to it; failRun: only that run fails and the next one sends again",
      }),
  })
  .strict();
export type WebhookSendConfig = z.infer<typeof WebhookSendConfig>;

export default defineNode({
  type: "webhook.send",
  version: 1,
  category: "destination",
  title: "Send webhook",
  description:
    "Posts each item as a signed JSON event (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). Only 2xx counts as delivered; failures are retried per the flow's policy.",
  config: WebhookSendConfig,
  credential: { kinds: ["webhookSecret"], required: true },
  sideEffects: true,
  async runItem({ item, config, credential, ctx }) {
    if (!credential)
      throw new NodeError("no signing secret is set", { code: "CREDENTIAL_MISSING", hint: "pick a webhookSecret credential in the node's settings" });
    const url = text(config.url, "url");
    const secrets = signingSecrets(credential);
    const shownUrl = redactUrl(url, secrets);
    const gone = await goneMark(ctx, url);
    const disabled = config.onGone === "disable" && gone ? disabledError(shownUrl, gone) : undefined;
    // Checked before the delivery is counted or signed: a disabled endpoint gets no request at all.
    if (disabled && !ctx.dryRun) {
      ctx.log.warn("webhook endpoint disabled", { url: shownUrl, goneAt: gone!.goneAt });
      throw disabled;
    }
    const delivery = deliveryFor(ctx, item);
    const id = config.webhookId === undefined ? delivery.id : text(config.webhookId, "webhookId");
    const timestamp = Math.floor(Date.now() / 1000);
    const payload = config.payload === undefined ? item : config.payload;
    const event =
      config.eventType === undefined
        ? payload
        : { type: text(config.eventType, "eventType"), timestamp: new Date(timestamp * 1000).toISOString(), data: payload };
    const body = JSON.stringify(event ?? null);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = text(value, `headers.${name}`);
    Object.assign(headers, {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": standardWebhookSignature({ id, timestamp, body, secrets }),
    });
    if (ctx.dryRun) {
      const wouldSend = { method: "POST", url: shownUrl, headers, body: event ?? null };
      // Shown, not thrown: a dry run says what a live run would do, and a live run would refuse.
      if (disabled) return { main: { wouldSend, endpointDisabled: { goneAt: gone!.goneAt, error: disabled.message, hint: disabled.hint } } };
      return { main: { wouldSend } };
    }

    const started = performance.now();
    const logged = { url: shownUrl, webhookId: id, attempt: delivery.attempt };
    let res: HttpResponse;
    try {
      // Never follow a redirect: a receiver that moved must be re-configured, not chased.
      res = await ctx.http.request({ url, method: "POST", headers, body, maxRedirects: 0, timeoutMs: config.timeoutMs, signal: ctx.signal });
    } catch (thrown) {
      const error = toNodeError(thrown);
      ctx.log.warn("webhook delivery failed", { ...logged, status: null, code: error.code, durationMs: elapsed(started) });
      throw error;
    }
    const durationMs = elapsed(started);
    ctx.log.info("webhook delivery", { ...logged, status: res.status, durationMs });
    if (res.status >= 200 && res.status < 300) {
      // The receiver takes events here again (sent with onGone "failRun"): the old mark no longer holds.
      if (gone) await ctx.state.setNow(goneKey(ctx, url), null);
      return { main: { ...item, webhook: { id, status: res.status, attempt: delivery.attempt, durationMs } } };
    }
    if (res.status === 410 && config.onGone === "disable") {
      // setNow, not set: this run fails, and a staged write would be discarded with it.
      const mark: GoneMark = { url: shownUrl, goneAt: new Date().toISOString() };
      await ctx.state.setNow(goneKey(ctx, url), mark);
      throw goneError(shownUrl, true);
    }
    throw deliveryError(res, url, secrets);
  },
});

/** Kept in the flow's state when a receiver answers 410 Gone; `url` is redacted, the key hashes the real one. */
const GoneMark = z.object({ url: z.string(), goneAt: z.iso.datetime() });
type GoneMark = z.infer<typeof GoneMark>;

/** Per node and URL (hashed: a token in the URL stays out of the state table). */
function goneKey(ctx: NodeContext, url: string): string {
  return `${ctx.nodeId}:gone:${createHash("sha256").update(url).digest("base64url").slice(0, 22)}`;
}

async function goneMark(ctx: NodeContext, url: string): Promise<GoneMark | undefined> {
  const parsed = GoneMark.safeParse(await ctx.state.get(goneKey(ctx, url)));
  return parsed.success ? parsed.data : undefined;
}

function disabledError(shownUrl: string, gone: GoneMark): NodeError {
  return new NodeError(`the webhook endpoint ${shownUrl} is disabled: its receiver answered 410 Gone at ${gone.goneAt}, so Gate sends it nothing more`, {
    code: "ENDPOINT_DISABLED",
    hint: 'change the endpoint URL to re-enable, or set "After 410 Gone" to "failRun" to send to this URL again (the next accepted delivery clears the mark)',
    details: [{ url: shownUrl, goneAt: gone.goneAt }],
  });
}

function goneError(shownUrl: string, disabling: boolean): NodeError {
  return new NodeError(
    `the receiver at ${shownUrl} answered 410 Gone: it has disabled this endpoint${disabling ? "; Gate will not send to it again" : ""}`,
    {
      code: "ENDPOINT_GONE",
      hint: disabling
        ? 'edit the flow to use the receiver\'s new endpoint (another URL is sent to as usual), or remove this step; to send to this URL again, set "After 410 Gone" to "failRun"'
        : "the receiver will not accept events here any more: edit the flow to use its new endpoint, or remove this step",
      details: [{ status: 410 }],
    },
  );
}

/** The current secret, plus the previous one while a rotation's grace period lasts (two signatures). */
function signingSecrets(credential: Credential): string[] {
  const secrets = [credentialData("webhookSecret", credential).secret];
  const previous = credential.previous;
  if (previous && Date.parse(previous.until) > Date.now() && typeof previous.data.secret === "string" && previous.data.secret)
    secrets.push(previous.data.secret);
  return secrets;
}

function deliveryError(res: HttpResponse, url: string, secrets: string[]): NodeError {
  if (res.status === 410) return goneError(redactUrl(url, secrets), false);
  if (res.status >= 300 && res.status < 400)
    return new NodeError(`the receiver answered ${res.status} (a redirect${res.headers.location ? ` to ${redactUrl(res.headers.location, secrets)}` : ""}); webhooks are not redirected`, {
      code: "WEBHOOK_REDIRECTED",
      hint: "update the endpoint URL to the address the receiver redirects to, if you trust it",
      details: [{ status: res.status }],
    });
  const error = httpStatusError(res, { method: "POST", url, secrets });
  // 503 and 429 already carry Retry-After; honour it on other retryable statuses too.
  if (error.retryable && error.retryAfterMs === undefined) {
    const after = retryAfterMs(res.headers["retry-after"]);
    if (after !== undefined)
      return new NodeError(error.message, { code: error.code, retryable: true, retryAfterMs: after, ...(error.hint ? { hint: error.hint } : {}), ...(error.details ? { details: error.details } : {}) });
  }
  return error;
}

function text(value: unknown, field: string): string {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  throw new NodeError(`${field} must be text, but its value is ${value === null || value === undefined || value === "" ? "empty" : typeof value}`, {
    code: "CONFIG_VALUE",
    hint: `check ${field} in the node's settings`,
  });
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
