/**
 * Replaying one dead letter: from the trigger (its payload, possibly edited) or from the failed
 * node (the input that node got), on the version that ran or the current one. The run carries
 * the original event's id, so destinations that honour Idempotency-Key see the same keys as in
 * the failed run and apply what already went through only once.
 */
import type { Item } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import { getFlow, getFlowVersion } from "../db/flows";
import type { RunError } from "../engine/run-record";
import type { ExecutionRunner } from "../engine/runner";
import { payloadItems, type RequestMeta } from "../queue/payload";
import { getDeadLetter, markReplayed, recordFailedReplay, type DeadLetter } from "./store";

export type ReplayFrom = "trigger" | "failedNode";
export type ReplayVersion = "recorded" | "current";

export interface ReplayOptions {
  from: ReplayFrom;
  version: ReplayVersion;
  signal?: AbortSignal;
}

export interface ReplayResult {
  deadLetterId: string;
  executionId: string;
  status: "success" | "failed" | "cancelled";
  error?: RunError;
}

export type DlqErrorCode = "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST";

/** A refusal with a message fit to show to the person who asked. */
export class DlqError extends Error {
  override readonly name = "DlqError";
  constructor(
    readonly code: DlqErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What to run for a letter; throws DlqError when the replay cannot be done as asked. */
export function planReplay(gdb: GateDb, letter: DeadLetter, options: Pick<ReplayOptions, "from" | "version">) {
  if (letter.status !== "open") throw new DlqError("CONFLICT", `dead letter ${letter.id} is ${letter.status}; only open letters can be replayed`);
  const flow = getFlow(gdb, letter.flowId);
  if (!flow) throw new DlqError("NOT_FOUND", `the flow of dead letter ${letter.id} no longer exists`);
  const version = options.version === "current" ? flow.version : letter.flowVersion;
  const doc = version === flow.version ? flow.doc : getFlowVersion(gdb, flow.id, version)?.doc;
  if (!doc) throw new DlqError("NOT_FOUND", `flow "${flow.name}" has no version ${version} any more`);
  const hasNode = (id: string) => doc.nodes.some((n) => n.id === id);
  const request = letter.request as RequestMeta | null;
  const base = {
    flowId: flow.id,
    version,
    request: request ? { method: request.method, path: request.path, query: request.query, headers: request.headers } : undefined,
    event: { id: letter.eventId },
  };
  if (options.from === "trigger") {
    if (!hasNode(letter.triggerNodeId))
      throw new DlqError("BAD_REQUEST", `version ${version} of "${flow.name}" has no trigger "${letter.triggerNodeId}" to replay into`);
    return { ...base, trigger: letter.triggerNodeId, input: payloadItems(letter.payload) };
  }
  const node = letter.failedNode;
  if (!node) throw new DlqError("BAD_REQUEST", `dead letter ${letter.id} did not fail at a node (${letter.error.code}); replay it from the trigger`);
  if (letter.editedAt !== null)
    throw new DlqError("BAD_REQUEST", `the payload of dead letter ${letter.id} was edited; replay from the trigger so the edit is used`);
  if (!letter.failedInput)
    throw new DlqError(
      "BAD_REQUEST",
      `the input of node "${node}" was not recorded in full (more items reached it than a run record keeps); replay from the trigger instead`,
    );
  if (!hasNode(node)) throw new DlqError("BAD_REQUEST", `version ${version} of "${flow.name}" has no node "${node}" to start from`);
  return { ...base, trigger: letter.triggerNodeId, startAt: node, input: letter.failedInput as Item[] };
}

/** Run one replay now and record its outcome on the letter. */
export async function replayLetter(gdb: GateDb, runner: ExecutionRunner, id: string, options: ReplayOptions): Promise<ReplayResult> {
  const letter = getDeadLetter(gdb, id);
  if (!letter) throw new DlqError("NOT_FOUND", `dead letter ${id} not found`);
  const plan = planReplay(gdb, letter, options);
  const { executionId, record } = await runner.runLive({ ...plan, signal: options.signal });
  if (record.status === "success") markReplayed(gdb, letter, executionId);
  else if (record.status === "failed") recordFailedReplay(gdb, id, { flowVersion: plan.version, executionId, record });
  // A cancelled replay (shutdown, a user) leaves the letter open as it was.
  return { deadLetterId: id, executionId, status: record.status, ...(record.error && { error: record.error }) };
}
