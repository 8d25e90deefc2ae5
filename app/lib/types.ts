/** Shapes the browser receives, inferred from the API router: one source of truth with the server. */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/api/root";

type Out = inferRouterOutputs<AppRouter>;

export type FlowRow = Out["flows"]["list"][number];
export type StoredFlow = Out["flows"]["get"];
export type FlowDocument = StoredFlow["doc"];
export type DocNode = FlowDocument["nodes"][number];
export type VersionInfo = Out["flows"]["versions"][number];
export type NodeSummary = Out["nodes"]["list"][number];
export type PortInfo = Out["nodes"]["ports"][string];
export type ValidationResult = Out["flows"]["validate"];
export type Problem = ValidationResult["problems"][number];
export type RunRecord = Out["runs"]["test"];
export type NodeRecord = RunRecord["nodes"][string];
export type ExecutionSummary = Out["executions"]["list"]["items"][number];
export type ExecutionDetail = Out["executions"]["get"];
export type Item = Record<string, unknown>;

/** A JSON Schema node as the server generates it from zod (only the parts the forms read). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  "x-gate"?: string;
  /** For `x-gate: "code"`: the language of the source, e.g. "javascript". */
  "x-language"?: string;
}

export type SessionUser = NonNullable<Out["auth"]["me"]>;
export type UserRow = Out["users"]["list"][number];
export type CredentialRow = Out["credentials"]["list"][number];
export type AuditPage = Out["audit"]["list"];
export type AuditRow = AuditPage["items"][number];
export type DeadLetterRow = Out["deadLetters"]["list"]["items"][number];
export type DeadLetterDetail = Out["deadLetters"]["get"];
export type ReplayProgress = NonNullable<Out["deadLetters"]["replayProgress"]>;
export type ReplayResult = Out["deadLetters"]["replay"];
export type AlertChannel = Out["alerts"]["channels"]["list"][number];
export type AlertRule = Out["alerts"]["rules"]["list"][number];
export type AlertIncident = Out["alerts"]["incidents"]["list"]["items"][number];
export type TestCaseList = Out["testCases"]["list"];
export type TestCaseResult = Out["testCases"]["run"]["results"][number];
export type ConnectionCheck = Out["credentials"]["test"];
