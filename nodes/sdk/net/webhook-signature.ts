import { createHmac } from "node:crypto";

/**
 * Standard Webhooks `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
 * Hand-written with node:crypto because the `standardwebhooks` package is a test-only dependency
 * here (the tests verify these signatures with it). A `whsec_` secret is base64 after the prefix;
 * any other string is used as raw bytes. Several secrets (during a rotation) give several
 * space-separated signatures, any of which the receiver may check.
 */
export function standardWebhookSignature(args: { id: string; timestamp: number; body: string; secrets: readonly string[] }): string {
  const content = `${args.id}.${args.timestamp}.${args.body}`;
  return args.secrets.map((secret) => `v1,${createHmac("sha256", secretKey(secret)).update(content).digest("base64")}`).join(" ");
}

export function secretKey(secret: string): Buffer {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice("whsec_".length), "base64") : Buffer.from(secret, "utf8");
}
