/**
 * The trigger's own inbound authentication: an API key header or HTTP basic. Values are compared
 * as SHA-256 digests with timingSafeEqual, so neither content nor length leaks through timing. The
 * previous secret of a rotated credential is accepted until its grace period ends.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Credential } from "../../../nodes/sdk";

export type TriggerAuth = { type: "none" } | { type: "apiKey"; header: string; credential: string } | { type: "basic"; credential: string };

export type AuthCheck = { ok: true } | { ok: false; reason: string; challenge?: string };

export function checkAuth(auth: TriggerAuth, headers: Readonly<Record<string, string | undefined>>, credential: Credential | undefined, now: number): AuthCheck {
  if (auth.type === "none") return { ok: true };
  if (!credential) return { ok: false, reason: "no credential to check against" };
  const versions = [credential.data, ...(credential.previous && Date.parse(credential.previous.until) > now ? [credential.previous.data] : [])];
  if (auth.type === "apiKey") {
    const sent = headers[auth.header.toLowerCase()];
    if (!sent) return { ok: false, reason: `missing ${auth.header.toLowerCase()} header` };
    return versions.some((data) => typeof data.key === "string" && same(sent, data.key)) ? { ok: true } : { ok: false, reason: `wrong API key in ${auth.header.toLowerCase()}` };
  }
  const challenge = 'Basic realm="gate", charset="UTF-8"';
  const header = headers.authorization;
  if (!header) return { ok: false, reason: "missing authorization header (HTTP basic)", challenge };
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  const decoded = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  if (colon < 0) return { ok: false, reason: "authorization header is not HTTP basic (user:password in base64)", challenge };
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const good = versions.some(
    (data) => typeof data.username === "string" && typeof data.password === "string" && same(user, data.username) && same(password, data.password),
  );
  return good ? { ok: true } : { ok: false, reason: "wrong user name or password (HTTP basic)", challenge };
}

function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}
