import { checkTimestamp, decodeSignature, hmacSha256, matchAny, missing, type SchemeVerifier } from "./common";

/**
 * Slack: `X-Slack-Signature: v0=<hex>` over `v0:<X-Slack-Request-Timestamp>:<body>` with the app's
 * signing secret.
 */
export const verifySlack: SchemeVerifier = (request, secrets, options) => {
  const value = request.headers["x-slack-signature"]?.trim();
  if (!value) return missing("x-slack-signature");
  const timestamp = request.headers["x-slack-request-timestamp"]?.trim();
  const stale = checkTimestamp(timestamp, "x-slack-request-timestamp", request, options.toleranceSeconds);
  if (stale) return { ok: false, reason: stale };
  if (!value.startsWith("v0=")) return { ok: false, reason: 'x-slack-signature does not start with "v0="' };
  const received = decodeSignature(value.slice(3), "hex");
  if (!received) return { ok: false, reason: "x-slack-signature is not hex" };
  return matchAny([received], secrets, (secret) => hmacSha256(secret, `v0:${timestamp}:`, request.rawBody));
};
