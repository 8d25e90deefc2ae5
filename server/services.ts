import { openDatabase, type GateDb } from "./db/client";
import { startMaintenance, type Maintenance } from "./db/retention";
import { FlowService } from "./engine/flow-service";
import { loadDefaultRegistry, type NodeRegistry } from "./engine/registry";
import path from "node:path";
import { createHostFactory } from "./engine/host";
import { onFailureListener } from "./engine/on-failure";
import { ExecutionRunner, HEARTBEAT_MS } from "./engine/runner";
import { guardedNet, shutdownNodes, type GuardedNet } from "../nodes/sdk";
import { AuditLog, auditedUse } from "./audit/audit";
import { FilesFolder } from "./files/store";
import { guardedFetch } from "./oauth/fetch";
import { OAuthConnector } from "./oauth/authorization-code";
import { createAuth, type GateAuth } from "./auth/auth";
import { openVault, vaultResolver, type Vault } from "./vault";
import { testConnection, type ConnectionCheck } from "./vault/test-connection";
import { Scheduler } from "./schedule/scheduler";
import { openWebhooks, type WebhookOptions, type Webhooks } from "./http/hooks/service";
import { allowList, env } from "./env";
import { logger } from "./log";
import { AlertService } from "./alerts/service";
import { DeadLetters } from "./dlq/service";
import { enqueueRun, type EnqueueRun } from "./queue/enqueue";
import { queuedDispatch } from "./schedule/queued-dispatch";

/** The composition root: everything a server or CLI command needs, wired once. */
export interface Services {
  dataDir: string;
  gdb: GateDb;
  registry: NodeRegistry;
  flows: FlowService;
  runner: ExecutionRunner;
  /** Webhook ingress, its durable event queue, workers and log. */
  webhooks: Webhooks;
  vault: Vault;
  oauth: OAuthConnector;
  /** Outbound access through the SSRF guard (GATE_ALLOW_HOSTS lets listed hosts through). */
  network: GuardedNet;
  /** Try a stored credential against its system. */
  testConnection(name: string): Promise<ConnectionCheck>;
  audit: AuditLog;
  /** Sign-in and sessions; created on first use (it needs the master key). */
  readonly auth: GateAuth;
  /** Where file nodes read and write. */
  filesDir: string;
  /** The files folder as people manage it (uploads). */
  files: FilesFolder;
  /** Fires schedule and poll triggers; only in long-running server processes. */
  scheduler?: Scheduler;
  /** Alert rules, checked after each live run and every minute; only in long-running server processes. */
  alerts?: AlertService;
  /** Failed queued events, inspected, edited, replayed or discarded. */
  deadLetters: DeadLetters;
  /** A live run through the durable queue ("run now"): stored, then run by a worker. */
  enqueueRun(run: EnqueueRun): Promise<{ eventId: string; duplicate: boolean }>;
  healthy(): boolean;
  /** For short-lived CLI commands. */
  close(): void;
  /** Graceful: let running executions finish (or cancel them after a grace period), then close. */
  shutdown(): Promise<void>;
}

export interface ServiceOptions {
  maintenance?: boolean;
  /** Webhook queue settings; workers run by default where maintenance does (the server). */
  webhooks?: Partial<WebhookOptions>;
  /** Create the embedded default's key file when missing (server start and credential commands). */
  createKey?: boolean;
  /** Served over HTTPS: session cookies get the Secure flag. */
  secure?: boolean;
  /** Fire schedule/poll triggers. Defaults to `maintenance`: both belong to the long-running server, never to CLI commands. */
  scheduler?: boolean;
}

export async function openServices(dataDir: string, options: ServiceOptions = {}): Promise<Services> {
  const registry = await loadDefaultRegistry();
  for (const problem of registry.problems) logger.error({ source: problem.source }, `node plugin not loaded: ${problem.message}`);
  const gdb = openDatabase(dataDir);
  let vault: Vault;
  try {
    vault = openVault(gdb, dataDir, { create: options.createKey ?? false });
  } catch (error) {
    gdb.close();
    throw error;
  }
  if (options.createKey && vault.keyring.source === "file")
    logger.warn({ keyFile: vault.keyring.file }, "GATE_ENCRYPTION_KEY is not set: credentials are sealed with a key file (fine for trying Gate; set the variable in production)");
  const filesDir = path.resolve(env().GATE_FILES_DIR ?? path.join(dataDir, "files"));
  const network = guardedNet({ allow: allowList(env().GATE_ALLOW_HOSTS), requireTls: env().GATE_REQUIRE_TLS });
  const oauth = new OAuthConnector(vault, guardedFetch(network.http));
  const audit = new AuditLog(gdb);
  const credentialResolver = auditedUse(vaultResolver(vault, (credential) => oauth.fresh(credential)), audit);
  const hosts = createHostFactory({ gdb, filesDir, network });
  const runner = new ExecutionRunner(gdb, registry, { credentials: credentialResolver, hosts });
  const flows = new FlowService(gdb, registry);
  runner.onFinished.push(onFailureListener({ flows, runner, log: logger }));
  const webhooks = openWebhooks(
    {
      gdb,
      registry,
      runner,
      credentials: vaultResolver(vault),
      onAuthFailure: ({ path, ip, kind, reason }) =>
        audit.record({ actor: "anonymous", action: kind === "signature" ? "webhook.signature" : "webhook.auth", target: `/hooks/${path}`, outcome: "failed", sourceIp: ip, detail: { reason } }),
    },
    { ...options.webhooks, workers: options.webhooks?.workers ?? options.maintenance ?? false },
  );
  const deadLetters = new DeadLetters(gdb, runner, { log: logger, sweepMs: options.maintenance ? undefined : 0 });
  // Registered before the alerts' listener, so a dlqGrowth check right after a run sees its letter.
  runner.onFinished.push(deadLetters.onExecutionFinished);
  let maintenance: Maintenance | undefined;
  if (options.maintenance) {
    deadLetters.sweep();
    maintenance = startMaintenance(gdb, {
      deadLetterMaxAgeDays: env().GATE_DLQ_RETENTION_DAYS,
      intervalMs: 10 * 60_000,
      staleAfterMs: HEARTBEAT_MS * 6,
      defaults: { maxAgeDays: env().GATE_RETENTION_DAYS, maxCount: env().GATE_RETENTION_COUNT },
      onRun: (r) => {
        if (r.recovered || r.deleted || r.deadLetters) logger.info(r, "maintenance: recovered interrupted executions and pruned old ones");
      },
      onError: (error) => logger.error({ err: error }, "maintenance failed"),
    });
  }
  const enqueue = (run: EnqueueRun) => enqueueRun({ gdb, registry, store: webhooks.store, notify: () => webhooks.workers?.notify() }, run);
  let scheduler: Scheduler | undefined;
  if (options.scheduler ?? options.maintenance) {
    scheduler = new Scheduler({
      gdb,
      registry,
      // Ticks go through the durable queue when this process runs its workers (the server); a
      // process without workers runs them directly.
      dispatch: webhooks.workers
        ? queuedDispatch({ gdb, enqueue: (run) => enqueue(run) })
        : (flowId, triggerNodeId, input) => runner.runLive({ flowId, input, trigger: triggerNodeId }),
    });
    scheduler.start();
  }
  let alerts: AlertService | undefined;
  if (options.maintenance) {
    // Alert webhooks and SMTP go through the same SSRF guard (and GATE_ALLOW_HOSTS) as flows.
    alerts = new AlertService({ gdb, vault, http: network.http, net: network.net, log: logger });
    runner.onFinished.push(alerts.onExecutionFinished);
    alerts.start();
  }
  const close = () => {
    void deadLetters.stop();
    void alerts?.stop();
    scheduler?.stop();
    maintenance?.stop();
    void webhooks.stop(0);
    void runner.shutdown(0);
    void shutdownNodes();
    void network.close();
    gdb.close();
  };
  let auth: GateAuth | undefined;
  return {
    dataDir,
    gdb,
    registry,
    audit,
    get auth() {
      return (auth ??= createAuth({ gdb, audit, masterKey: vault.keyring.keys.get(vault.keyring.current)!, secure: options.secure ?? false }));
    },
    flows,
    runner,
    webhooks,
    vault,
    oauth,
    network,
    files: new FilesFolder(filesDir),
    testConnection: (name) => testConnection({ credentials: credentialResolver, registry, host: hosts.test() }, name),
    filesDir,
    healthy: () => {
      try {
        gdb.sqlite.prepare("select 1").get();
        return true;
      } catch {
        return false;
      }
    },
    close,
    scheduler,
    alerts,
    deadLetters,
    enqueueRun: enqueue,
    async shutdown() {
      // No new ticks first; the runner then lets the runs already started finish.
      scheduler?.stop();
      maintenance?.stop();
      // Replay-all jobs stop first: their runs would otherwise hold up the runner's shutdown.
      await deadLetters.stop();
      // Queued events stop being leased and running ones finish (or go back to the queue) first.
      await webhooks.stop();
      await runner.shutdown();
      // After the runner, so the checks of the last runs finish before the database closes.
      await alerts?.stop();
      await network.close();
      gdb.close();
    },
  };
}
