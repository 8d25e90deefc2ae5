import { z } from "../../sdk";

/** What the parent asks the worker (worker.mjs) to do: only plain data crosses the IPC channel. */
export interface WorkerRequest {
  id: number;
  code: string;
  mode: CodeMode;
  /** The items as JSON; the isolate parses them itself, so no host object ever enters it. */
  input: string;
  timeoutMs: number;
  memoryLimitMb: number;
  maxOutputBytes: number;
}

export type CodeMode = "all" | "each";

export const FAILURE_KINDS = ["syntax", "error", "timeout", "memory", "too-large", "bad-result", "internal"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

const Log = z.object({ level: z.enum(["debug", "info", "warn", "error"]), text: z.string().max(4000) });
export type ConsoleLine = z.infer<typeof Log>;

const position = z.number().int().min(0).max(1e9).optional();

/**
 * The worker's answer. It is checked like any input from outside: the worker runs hostile code,
 * so a reply that does not fit is a sandbox failure, never trusted.
 */
export const WorkerReply = z.discriminatedUnion("ok", [
  z.object({
    id: z.number(),
    ok: z.literal(true),
    output: z.string(),
    logs: z.array(Log).max(200),
    droppedLogs: z.number().int().min(0).optional(),
  }),
  z.object({
    id: z.number(),
    ok: z.literal(false),
    kind: z.enum(FAILURE_KINDS),
    message: z.string().max(4000),
    line: position,
    column: position,
    item: position,
    logs: z.array(Log).max(200),
    droppedLogs: z.number().int().min(0).optional(),
  }),
]);
export type WorkerReply = z.infer<typeof WorkerReply>;
export type WorkerFailure = Extract<WorkerReply, { ok: false }>;
