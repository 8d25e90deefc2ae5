import { createHmac, timingSafeEqual } from "node:crypto";

/** A secret that may verify a delivery: the current one, or the previous one during a rotation grace period. */
export interface CandidateSecret {
  value: string;
  which: "current" | "previous";
}

export interface SignatureRequest {
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Uint8Array;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface SchemeOptions {
  /** Accepted clock difference for schemes that sign a timestamp. */
  toleranceSeconds: number;
  /** hmac-sha256 only: the header that carries the signature, its prefix and its encoding. */
  header?: string;
  prefix?: string;
  encoding?: "hex" | "base64";
}

export type SignatureResult = { ok: true; secret: CandidateSecret["which"] } | { ok: false; reason: string };

export type SchemeVerifier = (request: SignatureRequest, secrets: readonly CandidateSecret[], options: SchemeOptions) => SignatureResult;

export function hmacSha256(key: string | Uint8Array, ...parts: (string | Uint8Array)[]): Buffer {
  const mac = createHmac("sha256", key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Constant-time comparison of a received signature with the expected one. The length is not
 * secret (it is fixed by the algorithm), so only equal-length buffers reach timingSafeEqual.
 */
export function sameBytes(received: Uint8Array, expected: Uint8Array): boolean {
  return received.length === expected.length && timingSafeEqual(received, expected);
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Decode a signature as sent; undefined when it is not valid text in that encoding. */
export function decodeSignature(text: string, encoding: "hex" | "base64"): Uint8Array | undefined {
  if (encoding === "hex") return HEX.test(text) && text.length % 2 === 0 ? Buffer.from(text, "hex") : undefined;
  return BASE64.test(text) ? Buffer.from(text, "base64") : undefined;
}

/** Try each candidate secret; the first whose expected signature matches one received signature wins. */
export function matchAny(
  received: readonly Uint8Array[],
  secrets: readonly CandidateSecret[],
  expected: (secret: string) => Uint8Array,
): SignatureResult {
  if (secrets.length === 0) return { ok: false, reason: "no webhook secret is configured" };
  for (const secret of secrets) {
    const want = expected(secret.value);
    // No early exit inside the loop over received values: each comparison is constant-time anyway.
    let hit = false;
    for (const got of received) hit = sameBytes(got, want) || hit;
    if (hit) return { ok: true, secret: secret.which };
  }
  return { ok: false, reason: "signature does not match" };
}

/** Refuse a signed timestamp outside the tolerance, in either direction (a replay, or a skewed clock). */
export function checkTimestamp(seconds: string | undefined, header: string, request: SignatureRequest, toleranceSeconds: number): string | undefined {
  if (seconds === undefined || seconds === "") return `missing timestamp (${header})`;
  if (!/^\d{1,12}$/.test(seconds)) return `timestamp in ${header} is not a number of seconds`;
  const age = request.now / 1000 - Number(seconds);
  if (age > toleranceSeconds)
    return `timestamp is ${Math.round(age)} s old, more than the ${toleranceSeconds} s tolerance (a replayed or delayed delivery)`;
  if (-age > toleranceSeconds) return `timestamp is ${Math.round(-age)} s in the future, more than the ${toleranceSeconds} s tolerance`;
  return undefined;
}

export function missing(header: string): SignatureResult {
  return { ok: false, reason: `missing ${header} header` };
}
