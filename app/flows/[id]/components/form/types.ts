import type { JsonSchema } from "../../../../lib/types";
import type { CredentialChoice } from "../../lib/credentials";

/** What every field renderer gets: where it is, its schema and value, and how to report a change. */
export interface FieldProps {
  /** Path inside the node's config, as validation reports it: `fields[0].expr`. */
  path: string;
  name: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  onChange: (value: unknown) => void;
}

export interface FormContext {
  nodeId: string;
  /** Problems by config path. */
  problems: Map<string, string>;
  completionPaths: string[];
  /** Stored credentials, or undefined when this person may not list them. */
  credentials: CredentialChoice[] | undefined;
  /** The credential kinds this node type accepts (from its summary); undefined: any. */
  credentialKinds: readonly string[] | undefined;
  readOnly: boolean;
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

export function labelOf(name: string, schema: JsonSchema): string {
  if (schema.title) return schema.title;
  const words = name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** zod's wording for a missing value is written for programmers. */
export function friendly(message: string | undefined): string | undefined {
  if (!message) return message;
  if (/received undefined/.test(message)) return "Required";
  return message;
}

/** The first non-null type of a schema (`["string","null"]` reads as `string`). */
export function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const fieldId = (ctx: FormContext, path: string) => `f-${ctx.nodeId}-${path.replace(/[^A-Za-z0-9]/g, "_")}`;
