/**
 * Headers as they are recorded (webhook log, events, `$request`): secrets replaced. A header is
 * secret when it is one of the well-known ones, when its name looks like a credential, or when an
 * endpoint's own configuration names it (its API-key header, its signature header).
 */
export const REDACTED = "[redacted]";

const KNOWN = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "stripe-signature",
  "webhook-signature",
  "x-hub-signature",
  "x-hub-signature-256",
  "x-slack-signature",
]);
const SECRET_NAME = /secret|token|passw|api-?key|apikey|signature|auth|session|credential|private/i;

export function isSecretHeader(name: string, extra?: ReadonlySet<string>): boolean {
  return KNOWN.has(name) || SECRET_NAME.test(name) || extra?.has(name) === true;
}

/** Lower-case name → value (repeated headers joined), secrets redacted. */
export function redactHeaders(headers: Readonly<Record<string, string | undefined>>, extra?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = isSecretHeader(name, extra) ? REDACTED : value;
  return out;
}

/** Node's IncomingHttpHeaders flattened: lower-case names, arrays joined with ", ". */
export function flatHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}
