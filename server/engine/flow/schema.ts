import { z } from "zod";
import { RetryPolicy } from "../../../nodes/sdk";

/** Node ids appear in paths (`nodes[map].config…`) and expressions, so they stay simple. */
export const NodeId = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, "a node id is a letter or _ followed by up to 63 letters, digits, _ or -");

export const Item = z.record(z.string(), z.unknown());

export const FlowNode = z
  .object({
    id: NodeId,
    type: z.string().min(1),
    /** A label for people; the id stays stable for edges and expressions. */
    name: z.string().max(200).optional(),
    config: z.record(z.string(), z.unknown()).default({}),
    /** Overrides the flow's retry policy for this node. */
    retry: RetryPolicy.partial().optional(),
    /**
     * When the node fails for an item (after its retries) and its `error` port leads nowhere, the
     * item continues on `main` with these fields instead of failing the run.
     */
    fallback: z.object({ output: z.record(z.string(), z.unknown()) }).strict().optional(),
    notes: z.string().max(10_000).optional(),
  })
  .strict();
export type FlowNode = z.infer<typeof FlowNode>;

export const FlowEdge = z
  .object({
    from: NodeId,
    fromPort: z.string().min(1).default("main"),
    to: NodeId,
    toPort: z.string().min(1).default("main"),
  })
  .strict();
export type FlowEdge = z.infer<typeof FlowEdge>;

export const RetentionPolicy = z
  .object({
    maxAgeDays: z.number().int().min(1).max(3650).optional(),
    maxCount: z.number().int().min(1).max(10_000_000).optional(),
  })
  .strict();
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const FlowSettings = z
  .object({
    retry: RetryPolicy.partial().optional(),
    /** Per-run time limit; a run past it is cancelled and reported. */
    timeoutMs: z.number().int().min(100).max(86_400_000).default(300_000),
    retention: RetentionPolicy.optional(),
    /**
     * When a live run fails (after its retries, with no error port taking the failure), start this
     * flow (by name or id) with the failed event and its error.
     */
    onFailure: z.object({ flow: z.string().min(1, "name the flow to start on failure") }).strict().optional(),
  })
  .strict();
export type FlowSettings = z.infer<typeof FlowSettings>;

/**
 * How many items per port a case can check: a run record keeps the first items of each port
 * (run-record.ts SAMPLE_SIZE), so a longer expectation could never be compared in full.
 */
export const MAX_CASE_ITEMS = 20;

export const TestCase = z
  .object({
    name: z.string().trim().min(1, "a test case needs a name").max(200),
    description: z.string().max(2_000).optional(),
    input: z.union([Item, z.array(Item)]),
    /** The trigger that receives `input` (default: the flow's first). */
    trigger: NodeId.optional(),
    /** Output pinned per node for this case only, over `tests.pinned`. */
    pinned: z.record(NodeId, z.array(Item)).optional(),
    /** Expected items per node and output port, e.g. `{ "map": { "main": [...] } }`; the item count must match too. */
    expect: z.record(
      NodeId,
      z.record(
        z.string().min(1),
        z.array(Item).max(MAX_CASE_ITEMS, `a case checks at most ${MAX_CASE_ITEMS} items per port (a run keeps the first ${MAX_CASE_ITEMS})`),
      ),
    ),
    /** Paths not compared, for volatile fields: `map.main[*].receivedAt`, `*.main[*].id` (see docs/flow-format.md). */
    ignore: z.array(z.string().min(1).max(500)).optional(),
  })
  .strict();
export type TestCase = z.infer<typeof TestCase>;

export const FlowTests = z
  .object({
    /** Output pinned per node: used instead of running the node, in test runs only. */
    pinned: z.record(NodeId, z.array(Item)).default({}),
    cases: z
      .array(TestCase)
      .default([])
      .superRefine((cases, ctx) => {
        const seen = new Set<string>();
        cases.forEach((c, i) => {
          if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `test case name "${c.name}" is used twice` });
          seen.add(c.name);
        });
      }),
  })
  .strict();
export type FlowTests = z.infer<typeof FlowTests>;

export const FlowDoc = z
  .object({
    schemaVersion: z.literal(1, { error: "schemaVersion must be 1 (the only version this Gate reads)" }),
    name: z.string().min(1, "a flow needs a name").max(200),
    description: z.string().max(10_000).optional(),
    nodes: z.array(FlowNode),
    edges: z.array(FlowEdge).default([]),
    settings: FlowSettings.default({ timeoutMs: 300_000 }),
    tests: FlowTests.optional(),
    ui: z
      .object({ positions: z.record(z.string(), z.tuple([z.number(), z.number()])).default({}) })
      .catchall(z.unknown())
      .optional(),
  })
  .strict();
export type FlowDoc = z.infer<typeof FlowDoc>;
/** A flow as written by people, before defaults are filled in. */
export type FlowDocInput = z.input<typeof FlowDoc>;
