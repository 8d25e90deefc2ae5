import { createHash } from "node:crypto";

/**
 * The key that makes a redelivery recognisable: the configured header, else the delivery ids of
 * Standard Webhooks (`webhook-id`), GitHub (`x-github-delivery`) and Stripe (the event's `id` in
 * the body, when a Stripe-Signature is present), else — only when the endpoint asks for it — a hash
 * of the body within a time window. Prefixed by source so ids from different schemes never collide.
 */
export function idempotencyKey(args: {
  headers: Readonly<Record<string, string | undefined>>;
  configuredHeader: string | undefined;
  payload: unknown;
  raw: Uint8Array;
  dedupeBodySeconds: number | undefined;
  now: number;
}): string | undefined {
  const { headers } = args;
  if (args.configuredHeader) {
    const value = headers[args.configuredHeader.toLowerCase()];
    if (value) return `header:${value.slice(0, 200)}`;
  }
  if (headers["webhook-id"]) return `webhook-id:${headers["webhook-id"].slice(0, 200)}`;
  if (headers["x-github-delivery"]) return `github:${headers["x-github-delivery"].slice(0, 200)}`;
  if (headers["stripe-signature"]) {
    const id = (args.payload as { id?: unknown } | null)?.id;
    if (typeof id === "string" && id.startsWith("evt_")) return `stripe:${id.slice(0, 200)}`;
  }
  if (args.dedupeBodySeconds) {
    const window = Math.floor(args.now / (args.dedupeBodySeconds * 1000));
    return `body:${createHash("sha256").update(args.raw).digest("hex")}:${window}`;
  }
  return undefined;
}
