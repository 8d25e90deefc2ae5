import { decodeSignature, hmacSha256, matchAny, missing, type SchemeVerifier } from "./common";

export const HMAC_DEFAULT_HEADER = "x-signature";

/**
 * A plain HMAC-SHA256 of the raw body in one header, optionally prefixed (`sha256=`), hex or
 * base64. This generic scheme signs no timestamp, so it cannot refuse replays by itself.
 */
export const verifyHmacSha256: SchemeVerifier = (request, secrets, options) => {
  const header = (options.header ?? HMAC_DEFAULT_HEADER).toLowerCase();
  const value = request.headers[header]?.trim();
  if (!value) return missing(header);
  const prefix = options.prefix ?? "";
  if (!value.startsWith(prefix)) return { ok: false, reason: `${header} does not start with "${prefix}"` };
  const received = decodeSignature(value.slice(prefix.length), options.encoding ?? "hex");
  if (!received) return { ok: false, reason: `${header} is not ${options.encoding ?? "hex"}` };
  return matchAny([received], secrets, (secret) => hmacSha256(secret, request.rawBody));
};
