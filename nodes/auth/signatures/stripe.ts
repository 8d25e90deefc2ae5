import { checkTimestamp, decodeSignature, hmacSha256, matchAny, missing, type SchemeVerifier } from "./common";

/**
 * Stripe: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of `<t>.<body>` keyed
 * with the endpoint secret as text (`whsec_…`, not decoded). Stripe sends several `v1` values
 * while an endpoint secret is being rolled; any one may match.
 */
export const verifyStripe: SchemeVerifier = (request, secrets, options) => {
  const value = request.headers["stripe-signature"];
  if (!value) return missing("stripe-signature");
  let timestamp: string | undefined;
  const received: Uint8Array[] = [];
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq).trim();
    const text = part.slice(eq + 1).trim();
    if (key === "t") timestamp = text;
    else if (key === "v1") {
      const bytes = decodeSignature(text, "hex");
      if (bytes) received.push(bytes);
    }
  }
  const stale = checkTimestamp(timestamp, "stripe-signature t=", request, options.toleranceSeconds);
  if (stale) return { ok: false, reason: stale };
  if (received.length === 0) return { ok: false, reason: "stripe-signature has no v1 signature" };
  return matchAny(received, secrets, (secret) => hmacSha256(secret, `${timestamp}.`, request.rawBody));
};
