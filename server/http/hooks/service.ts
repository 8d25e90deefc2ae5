/**
 * Webhook ingress and its queue, wired: the event store, the in-process workers, the webhook log
 * and periodic pruning. services.ts creates one; the HTTP server hands /hooks/* to `ingress`.
 */
import type { GateDb } from "../../db/client";
import type { CredentialResolver } from "../../engine/interpreter";
import type { NodeRegistry } from "../../engine/registry";
import type { ExecutionRunner } from "../../engine/runner";
import { logger, nodeLogger } from "../../log";
import { pruneQueue } from "../../queue/queries";
import { EventStore, type Durability } from "../../queue/store";
import { QueueWorkers } from "../../queue/workers";
import { HookIngress, type IngressDeps } from "./ingress";
import { WebhookLog } from "./log-store";

export interface WebhookOptions {
  /** Run queued events in this process (the server does; CLI commands do not). */
  workers: boolean;
  concurrency?: number;
  leaseMs?: number;
  durability?: Durability;
  /** Keep finished events (and so their idempotency keys) this long (default 7 days). */
  eventsMaxAgeMs?: number;
  /** Keep webhook log rows this long (default 30 days). */
  logMaxAgeMs?: number;
}

export interface Webhooks {
  ingress: HookIngress;
  store: EventStore;
  log: WebhookLog;
  workers: QueueWorkers | undefined;
  /** Stop taking events, let running ones finish for up to `graceMs`, hand the rest back. */
  stop(graceMs?: number): Promise<void>;
}

const DAY = 24 * 3600_000;

export function openWebhooks(
  deps: { gdb: GateDb; registry: NodeRegistry; runner: ExecutionRunner; credentials: CredentialResolver | undefined; onAuthFailure?: IngressDeps["onAuthFailure"] },
  options: WebhookOptions,
): Webhooks {
  const store = new EventStore(deps.gdb, { durability: options.durability });
  const log = new WebhookLog(deps.gdb);
  const workers = options.workers
    ? new QueueWorkers(store, deps.runner, { concurrency: options.concurrency, leaseMs: options.leaseMs, log: nodeLogger({ component: "queue" }) })
    : undefined;
  const ingress = new HookIngress({
    ...deps,
    store,
    log,
    notify: () => workers?.notify(),
    onError: (error, context) => logger.error({ ...context, err: error }, "webhook request failed"),
  });
  let pruner: NodeJS.Timeout | undefined;
  if (workers) {
    workers.start();
    const prune = () => {
      try {
        const removed = pruneQueue(deps.gdb, { eventsMaxAgeMs: options.eventsMaxAgeMs ?? 7 * DAY, logMaxAgeMs: options.logMaxAgeMs ?? 30 * DAY });
        if (removed.events || removed.log) logger.info(removed, "pruned old webhook events and log rows");
      } catch (error) {
        logger.error({ err: error }, "pruning webhook events failed");
      }
    };
    prune();
    pruner = setInterval(prune, 10 * 60_000);
    pruner.unref();
  }
  return {
    ingress,
    store,
    log,
    workers,
    async stop(graceMs = 10_000) {
      clearInterval(pruner);
      store.close();
      // Flushed before waiting, so a synchronous close() right after loses no log rows.
      log.flush();
      await workers?.stop(graceMs);
      log.close();
    },
  };
}
