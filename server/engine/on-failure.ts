/**
 * Flow-level fallback: `settings.onFailure.flow` names a flow that receives every failed live run of
 * this one — the original payload, the failing node and its error — so a person can route failures
 * to a ticket, a chat message or a compensating action. A failure handler's own failure never starts
 * another handler (no cascades), and the handler's event id derives from the failed execution, so
 * its idempotency keys are stable if it is ever re-run.
 */
import type { Item } from "../../nodes/sdk";
import type { FlowService } from "./flow-service";
import type { ExecutionRunner, FinishedExecution } from "./runner";

const HANDLER_EVENT = "on-failure:";

export interface FailureInput extends Item {
  failedFlow: { id: string; name: string; version: number };
  executionId: string;
  error: unknown;
  /** The trigger's items of the failed run (as recorded: at most the first 20). */
  payload: unknown;
}

export function onFailureListener(deps: {
  flows: Pick<FlowService, "get" | "version">;
  runner: Pick<ExecutionRunner, "runLive">;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}) {
  return (finished: FinishedExecution): void => {
    if (finished.record.status !== "failed" || finished.event?.id.startsWith(HANDLER_EVENT)) return;
    const version = deps.flows.version(finished.flowId, finished.flowVersion);
    const target = version?.doc.settings?.onFailure?.flow;
    if (!version || !target) return;
    const handler = deps.flows.get(target);
    if (!handler || handler.id === finished.flowId) {
      deps.log.warn({ flow: finished.flowId, onFailure: target }, handler ? "a flow cannot be its own failure handler" : `the failure flow "${target}" does not exist`);
      return;
    }
    const firstNode = Object.values(finished.record.nodes)[0];
    const input: FailureInput = {
      failedFlow: { id: finished.flowId, name: version.doc.name, version: finished.flowVersion },
      executionId: finished.executionId,
      error: finished.record.error ?? null,
      payload: firstNode?.input ?? null,
    };
    deps.runner.runLive({ flowId: handler.id, input: [input], event: { id: `${HANDLER_EVENT}${finished.executionId}` } }).catch((error: unknown) => {
      deps.log.error({ err: error, flow: handler.id, failed: finished.executionId }, "the failure flow could not run");
    });
  };
}
