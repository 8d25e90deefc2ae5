import { decodeSignature, hmacSha256, matchAny, missing, type SchemeVerifier } from "./common";

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. GitHub signs no timestamp;
 * replays are caught by idempotency on `X-GitHub-Delivery` instead.
 */
export const verifyGithub: SchemeVerifier = (request, secrets) => {
  const value = request.headers["x-hub-signature-256"]?.trim();
  if (!value) return missing("x-hub-signature-256");
  if (!value.startsWith("sha256=")) return { ok: false, reason: 'x-hub-signature-256 does not start with "sha256="' };
  const received = decodeSignature(value.slice(7), "hex");
  if (!received) return { ok: false, reason: "x-hub-signature-256 is not hex" };
  return matchAny([received], secrets, (secret) => hmacSha256(secret, request.rawBody));
};
