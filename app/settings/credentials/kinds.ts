import { z } from "zod";
import { CredentialKinds, type CredentialKind } from "../../../nodes/sdk/credential-kinds";
import type { JsonSchema } from "../../lib/types";

export type { CredentialKind };

export const KIND_NAMES = Object.keys(CredentialKinds) as CredentialKind[];

export const KIND_LABEL: Record<CredentialKind, string> = {
  apiKey: "API key",
  basic: "Basic auth (user and password)",
  bearer: "Bearer token",
  oauth2ClientCredentials: "OAuth 2.0 client credentials",
  oauth2AuthorizationCode: "OAuth 2.0 authorization code (Connect)",
  clientCertificate: "Client certificate (mTLS)",
  webhookSecret: "Webhook signing secret",
  postgres: "PostgreSQL",
  mysql: "MySQL",
  sqlite: "SQLite file",
};

export const kindLabel = (kind: string) => (kind in KIND_LABEL ? KIND_LABEL[kind as CredentialKind] : kind);

/**
 * Fields the form leaves out: for an authorization-code credential the tokens and their expiry are
 * written by the Connect flow, never typed in by a person.
 */
const FILLED_BY_GATE: Partial<Record<CredentialKind, string[]>> = {
  oauth2AuthorizationCode: ["accessToken", "refreshToken", "expiresAt"],
};

/** PEM blocks span lines, which a one-line input would flatten. */
const MULTILINE: Partial<Record<CredentialKind, string[]>> = {
  clientCertificate: ["cert", "key", "ca"],
};

export interface KindField {
  name: string;
  schema: JsonSchema;
  required: boolean;
  secret: boolean;
  multiline: boolean;
}

/**
 * The form of a kind comes from the same zod schema the vault validates with (nodes/sdk), turned
 * into JSON Schema like node configs are: one description of each kind, no per-kind form code.
 */
export function kindFields(kind: CredentialKind): KindField[] {
  const schema = z.toJSONSchema(CredentialKinds[kind], { io: "input" }) as JsonSchema;
  const required = new Set(schema.required ?? []);
  const skip = new Set(FILLED_BY_GATE[kind] ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => !skip.has(name))
    .map(([name, field]) => ({
      name,
      schema: field,
      required: required.has(name),
      secret: field["x-gate"] === "secret",
      multiline: MULTILINE[kind]?.includes(name) ?? false,
    }));
}

/** Turn what the form holds (strings) into the credential's data; empty optional fields are left out. */
export function formToData(fields: KindField[], values: Record<string, string | boolean>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (typeof value === "boolean") data[field.name] = value;
    else if (value === undefined || value === "") continue;
    else if (field.schema.type === "integer" || field.schema.type === "number") data[field.name] = Number(value);
    else data[field.name] = field.secret || field.multiline ? value : value.trim();
  }
  return data;
}

/** A Standard Webhooks signing secret, made in the browser so it never travels before it is saved. */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

export function humanize(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`)
    .replace(/[_-]+/g, " ")
    .replace(/\burl\b/gi, "URL")
    .replace(/\bid\b/gi, "ID");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
