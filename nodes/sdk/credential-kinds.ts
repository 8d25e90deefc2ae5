import { z } from "zod";
import { NodeError } from "./errors";
import type { Credential } from "./types";

/**
 * The shapes of secret data per credential kind. The vault validates what it stores against these,
 * and a node reads `credential.data` through `credentialData(kind, credential)` fully typed.
 * Fields marked `secret` in the meta are never shown; the rest (URLs, user names) may be displayed.
 */
const secret = (schema: z.ZodString) => schema.min(1).meta({ "x-gate": "secret" });
/** Where "Test connection" may send a GET with the credential (HTTP kinds have no address of their own). */
/** A connection that must never be used over plain http://, redirects included. */
const requireTls = () => z.boolean().default(false).meta({ title: "Require TLS", description: "Refuse to send this credential to an http:// address" });
const testUrl = () => z.url().optional().meta({ title: "Test URL", description: "An address Test connection may GET with this credential, e.g. https://api.example.com/me" });

export const CredentialKinds = {
  apiKey: z.object({
    key: secret(z.string()),
    in: z.enum(["header", "query"]).default("header"),
    name: z.string().min(1).default("X-API-Key").meta({ description: "Header or query parameter name" }),
    testUrl: testUrl(),
    requireTls: requireTls(),
  }),
  basic: z.object({ username: z.string().min(1), password: secret(z.string()), testUrl: testUrl(), requireTls: requireTls() }),
  bearer: z.object({ token: secret(z.string()), testUrl: testUrl(), requireTls: requireTls() }),
  oauth2ClientCredentials: z.object({
    tokenUrl: z.url(),
    clientId: z.string().min(1),
    clientSecret: secret(z.string()),
    scope: z.string().optional(),
    audience: z.string().optional(),
    testUrl: testUrl(),
    requireTls: requireTls(),
  }),
  oauth2AuthorizationCode: z.object({
    authorizeUrl: z.url(),
    tokenUrl: z.url(),
    revokeUrl: z.url().optional(),
    clientId: z.string().min(1),
    clientSecret: secret(z.string()).optional(),
    scope: z.string().optional(),
    /** Filled in by the Connect flow, refreshed by the vault before expiry. */
    accessToken: secret(z.string()).optional(),
    refreshToken: secret(z.string()).optional(),
    expiresAt: z.iso.datetime().optional(),
    testUrl: testUrl(),
    requireTls: requireTls(),
  }),
  clientCertificate: z.object({
    cert: z.string().min(1).meta({ description: "PEM certificate (chain)" }),
    key: secret(z.string()),
    ca: z.string().optional(),
    passphrase: secret(z.string()).optional(),
    testUrl: testUrl(),
    requireTls: requireTls(),
  }),
  webhookSecret: z.object({
    /** `whsec_<base64>` or any shared secret string. */
    secret: secret(z.string()),
  }),
  postgres: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1),
    user: z.string().min(1),
    password: secret(z.string()).optional(),
    ssl: z.boolean().default(false),
  }),
  mysql: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(3306),
    database: z.string().min(1),
    user: z.string().min(1),
    password: secret(z.string()).optional(),
    ssl: z.boolean().default(false),
  }),
  sqlite: z.object({
    path: z.string().min(1).meta({ description: "Database file, relative to the files folder" }),
  }),
} as const;

export type CredentialKind = keyof typeof CredentialKinds;
export type CredentialData<K extends CredentialKind> = z.output<(typeof CredentialKinds)[K]>;

export function isCredentialKind(kind: string): kind is CredentialKind {
  return Object.hasOwn(CredentialKinds, kind);
}

/** The typed data of a resolved credential; a kind the node cannot use is a clear error. */
export function credentialData<K extends CredentialKind>(kind: K, credential: Credential): CredentialData<K> {
  if (credential.kind !== kind)
    throw new NodeError(`credential "${credential.name}" is of kind ${credential.kind}, expected ${kind}`, {
      code: "CREDENTIAL_KIND",
      hint: "pick a credential of the right kind in the node's settings",
    });
  const parsed = CredentialKinds[kind].safeParse(credential.data);
  if (!parsed.success)
    throw new NodeError(`credential "${credential.name}" is incomplete: ${parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ")}`, {
      code: "CREDENTIAL_INVALID",
      hint: "edit the credential and fill in the missing fields",
    });
  return parsed.data as CredentialData<K>;
}
