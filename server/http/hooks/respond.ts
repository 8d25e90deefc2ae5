/**
 * Respond mode: the event is stored first (so a crash mid-run still leaves it to a worker), then
 * run right here; the first Respond node's answer goes back to the sender. When no answer comes
 * within `respondTimeoutMs` the sender gets 504 while the run goes on to its end and is recorded.
 */
import type { ServerResponse } from "node:http";
import type { Item, WebhookResponse } from "../../../nodes/sdk";
import type { ExecutionRunner } from "../../engine/runner";
import type { RequestMeta } from "../../queue/payload";
import type { EventStore } from "../../queue/store";
import type { Endpoint } from "./endpoint";
import { send, writeFlowResponse, type Answer } from "./reply";

interface RespondDeps {
  runner: ExecutionRunner;
  store: EventStore;
  onError: (error: unknown, context: Record<string, unknown>) => void;
}

export function respondInline(
  deps: RespondDeps,
  event: { endpoint: Endpoint; eventId: string; executionId: string; items: Item[]; meta: RequestMeta },
  res: ServerResponse,
): Promise<Answer> {
  const { endpoint, eventId, meta } = event;
  return new Promise<Answer>((resolve) => {
    let settled = false;
    const answer = (result: Answer, write: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      write();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        answer({ status: 504, outcome: "responded", eventId, reason: `no answer from the flow within ${endpoint.config.respondTimeoutMs} ms` }, () =>
          send(res, 504, { error: `the flow did not answer within ${endpoint.config.respondTimeoutMs} ms; it goes on running`, eventId }),
        ),
      endpoint.config.respondTimeoutMs,
    );
    const onRespond = (response: WebhookResponse) =>
      answer({ status: response.status, outcome: "responded", eventId }, () => writeFlowResponse(res, response, { "x-gate-event-id": eventId }));

    deps.runner
      .runLive({
        flowId: endpoint.flowId,
        version: endpoint.version,
        trigger: endpoint.nodeId,
        input: event.items,
        request: { method: meta.method, path: meta.path, query: meta.query, headers: meta.headers },
        onRespond,
        started: { executionId: event.executionId },
        // The event's outcome (and the answer replayed to redeliveries) commits with the execution's.
        onRecorded: (executionId, record) => {
          const ok = record.status === "success";
          deps.store.finish(eventId, {
            status: ok ? "done" : "failed",
            executionId,
            ...(record.response && { response: JSON.stringify(record.response) }),
            ...(!ok && { error: { code: record.error?.code ?? "FAILED", message: record.error?.message ?? "the run failed" } }),
          });
        },
      })
      .then(({ executionId, record }) => {
        const ok = record.status === "success";
        if (ok) answer({ status: 200, outcome: "responded", eventId }, () => send(res, 200, { eventId, executionId, status: record.status }));
        else
          answer({ status: 500, outcome: "responded", eventId, reason: `the flow failed: ${record.error?.code ?? "FAILED"}` }, () =>
            send(res, 500, { error: `the flow failed (${record.error?.code ?? "FAILED"})`, eventId, executionId }),
          );
      })
      .catch((error: unknown) => {
        deps.onError(error, { flow: endpoint.flowId, event: eventId });
        try {
          deps.store.finish(eventId, { status: "failed", error: { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) } });
        } catch {
          // The database is closing: the lease expires and a worker runs the event after the restart.
        }
        answer({ status: 500, outcome: "responded", eventId, reason: "the run could not start" }, () => send(res, 500, { error: "the flow could not be run", eventId }));
      });
  });
}
