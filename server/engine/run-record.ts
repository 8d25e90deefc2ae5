import { z } from "zod";

/** Run state has its own schema, separate from the flow document. */
export const RunError = z.object({
  message: z.string(),
  code: z.string(),
  node: z.string().optional(),
  hint: z.string().optional(),
  attempt: z.number().int().optional(),
});
export type RunError = z.infer<typeof RunError>;

export const NodeStatus = z.enum(["success", "failed", "skipped", "pinned", "cancelled"]);
export type NodeStatus = z.infer<typeof NodeStatus>;

export const NodeRecord = z.object({
  status: NodeStatus,
  durationMs: z.number(),
  itemsIn: z.number().int(),
  itemsOut: z.number().int(),
  /** How many times the node ran (once per batch reaching it). */
  batches: z.number().int(),
  /** The first items that reached the node. */
  input: z.array(z.record(z.string(), z.unknown())),
  /** The first items of each output port. */
  output: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  /** Item counts per output port. */
  outputCounts: z.record(z.string(), z.number().int()),
  /** Extra attempts the retry policy made at this node (over all items), whether they then succeeded or not. */
  retries: z.number().int().optional(),
  error: RunError.optional(),
});
export type NodeRecord = z.infer<typeof NodeRecord>;

export const RunStatus = z.enum(["success", "failed", "cancelled"]);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunRecord = z.object({
  status: RunStatus,
  startedAt: z.string(),
  durationMs: z.number(),
  error: RunError.optional(),
  nodes: z.record(z.string(), NodeRecord),
  response: z.object({ status: z.number(), headers: z.record(z.string(), z.string()), body: z.unknown() }).optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** How many items per port a record keeps: enough to see, never enough to bloat storage. */
export const SAMPLE_SIZE = 20;
