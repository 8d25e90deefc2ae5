import { checkTimestamp, decodeSignature, hmacSha256, matchAny, missing, type SchemeVerifier } from "./common";

const PREFIX = "whsec_";

/**
 * Standard Webhooks (Svix and others): `webhook-signature: v1,<base64> [v1,<base64>…]` over
 * `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64 secret after `whsec_`.
 */
export const verifyStandardWebhooks: SchemeVerifier = (request, secrets, options) => {
  const id = request.headers["webhook-id"];
  const signature = request.headers["webhook-signature"];
  if (!id) return missing("webhook-id");
  if (!signature) return missing("webhook-signature");
  const timestamp = request.headers["webhook-timestamp"]?.trim();
  const stale = checkTimestamp(timestamp, "webhook-timestamp", request, options.toleranceSeconds);
  if (stale) return { ok: false, reason: stale };
  const received: Uint8Array[] = [];
  for (const entry of signature.split(" ")) {
    const [version, text] = entry.split(",", 2);
    if (version !== "v1" || !text) continue;
    const bytes = decodeSignature(text, "base64");
    if (bytes) received.push(bytes);
  }
  if (received.length === 0) return { ok: false, reason: "webhook-signature has no v1 signature" };
  return matchAny(received, secrets, (secret) => hmacSha256(secretKey(secret), `${id}.${timestamp}.`, request.rawBody));
};

function secretKey(secret: string): Uint8Array {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
}
