import { openDatabase, type GateDb } from "./db/client";
import { startMaintenance, type Maintenance } from "./db/retention";
import { FlowService } from "./engine/flow-service";
import { loadDefaultRegistry, type NodeRegistry } from "./engine/registry";
import path from "node:path";
import { createHostFactory } from "./engine/host";
import { ExecutionRunner, HEARTBEAT_MS } from "./engine/runner";
import { openVault, vaultResolver, type Vault } from "./vault";
import { Scheduler } from "./schedule/scheduler";
import { env } from "./env";
import { logger } from "./log";

/** The composition root: everything a server or CLI command needs, wired once. */
export interface Services {
  dataDir: string;
  gdb: GateDb;
  registry: NodeRegistry;
  flows: FlowService;
  runner: ExecutionRunner;
  vault: Vault;
  /** Where file nodes read and write. */
  filesDir: string;
  /** Fires schedule and poll triggers; only in long-running server processes. */
  scheduler?: Scheduler;
  healthy(): boolean;
  /** For short-lived CLI commands. */
  close(): void;
  /** Graceful: let running executions finish (or cancel them after a grace period), then close. */
  shutdown(): Promise<void>;
}

export interface ServiceOptions {
  maintenance?: boolean;
  /** Create the embedded default's key file when missing (server start and credential commands). */
  createKey?: boolean;
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
  const runner = new ExecutionRunner(gdb, registry, {
    credentials: vaultResolver(vault),
    hosts: createHostFactory({ gdb, filesDir }),
  });
  let maintenance: Maintenance | undefined;
  if (options.maintenance) {
    maintenance = startMaintenance(gdb, {
      intervalMs: 10 * 60_000,
      staleAfterMs: HEARTBEAT_MS * 6,
      defaults: { maxAgeDays: env().GATE_RETENTION_DAYS, maxCount: env().GATE_RETENTION_COUNT },
      onRun: (r) => {
        if (r.recovered || r.deleted) logger.info(r, "maintenance: recovered interrupted executions and pruned old ones");
      },
      onError: (error) => logger.error({ err: error }, "maintenance failed"),
    });
  }
  let scheduler: Scheduler | undefined;
  if (options.scheduler ?? options.maintenance) {
    scheduler = new Scheduler({
      gdb,
      registry,
      // Until the durable queue takes ticks, a tick is a live run in this process.
      // TODO(lead): pass `trigger: triggerNodeId` once LiveRunRequest accepts it; today a run starts at the flow's first trigger.
      dispatch: (flowId, _triggerNodeId, input) => runner.runLive({ flowId, input }),
    });
    scheduler.start();
  }
  const close = () => {
    scheduler?.stop();
    maintenance?.stop();
    void runner.shutdown(0);
    gdb.close();
  };
  return {
    dataDir,
    gdb,
    registry,
    flows: new FlowService(gdb, registry),
    runner,
    vault,
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
    async shutdown() {
      // No new ticks first; the runner then lets the runs already started finish.
      scheduler?.stop();
      maintenance?.stop();
      await runner.shutdown();
      gdb.close();
    },
  };
}
