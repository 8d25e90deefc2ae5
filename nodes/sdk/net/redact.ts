import type { z } from "zod";
import { CredentialKinds, isCredentialKind } from "../credential-kinds";
import type { Credential } from "../types";

export const REDACTED = "[redacted]";

/** Header names whose values are secrets whatever the credential. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"]);

/**
 * The secret values of a credential (fields marked `x-gate: secret` in its kind's schema, of the
 * current and the previous version), plus the encodings they travel in, so an echo of them in a
 * response excerpt can be found.
 */
export function credentialSecrets(credential: Credential | undefined): string[] {
  if (!credential) return [];
  const out: string[] = [];
  const collect = (data: Record<string, unknown>) => {
    const shape = isCredentialKind(credential.kind) ? (CredentialKinds[credential.kind].shape as Record<string, z.ZodType>) : undefined;
    for (const [field, value] of Object.entries(data)) {
      if (typeof value !== "string" || value === "") continue;
      // An unknown kind has no schema to say which fields are secret: treat every string as one.
      if (!shape || (shape[field] && isSecretField(shape[field]))) out.push(value);
    }
    if (credential.kind === "basic" && typeof data.username === "string" && typeof data.password === "string")
      out.push(Buffer.from(`${data.username}:${data.password}`).toString("base64"));
  };
  collect(credential.data);
  if (credential.previous) collect(credential.previous.data);
  return expand(out);
}

function isSecretField(schema: z.ZodType): boolean {
  for (let s: z.ZodType | undefined = schema; s; s = (s.def as { innerType?: z.ZodType }).innerType)
    if (s.meta()?.["x-gate"] === "secret") return true;
  return false;
}

/** Each secret as written, URL-encoded and JSON-escaped (how APIs echo them back). */
export function expand(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    all.add(s);
    all.add(encodeURIComponent(s));
    all.add(JSON.stringify(s).slice(1, -1));
    // PEM keys are echoed line by line if at all; their base64 body lines are secrets too.
    if (s.includes("-----BEGIN")) for (const line of s.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith("-----")) all.add(line);
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...all].sort((a, b) => b.length - a.length);
}

/** Replace every occurrence of the secrets, and any Authorization/Cookie value echoed back. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join(REDACTED);
  return out
    .replace(/\b(Bearer|Basic|Digest|Token)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`)
    .replace(/("?(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|access_token|refresh_token|client_secret|password)"?\s*[:=]\s*)("[^"]*"|[^\s,;&}]+)/gi, `$1"${REDACTED}"`);
}

/** At most `max` characters of a response body, secrets redacted before cutting. */
export function bodyExcerpt(body: Uint8Array, secrets: readonly string[], max = 300): string {
  const text = Buffer.from(body.subarray(0, 8192)).toString("utf8").replace(/\s+/g, " ").trim();
  const redacted = redactText(text, secrets);
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

/** Headers safe to show: secret headers and any header carrying a secret value are redacted. */
export function redactHeaders(headers: Record<string, string>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) || secrets.some((s) => s && value.includes(s)) ? REDACTED : value;
  return out;
}

/** A URL safe to show or log: query values that are secrets (an API key in the query) redacted. */
export function redactUrl(url: string, secrets: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, secrets);
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? "redacted" : "";
    parsed.password = "";
  }
  for (const [name, value] of [...parsed.searchParams])
    if (secrets.includes(value) || /^(api[-_]?key|key|token|access_token|sig|signature|secret|password)$/i.test(name)) parsed.searchParams.set(name, REDACTED);
  return parsed.href;
}
