import { openDatabase, type GateDb } from "./db/client";
import { startMaintenance, type Maintenance } from "./db/retention";
import { FlowService } from "./engine/flow-service";
import { loadDefaultRegistry, type NodeRegistry } from "./engine/registry";
import { ExecutionRunner, HEARTBEAT_MS } from "./engine/runner";
import { env } from "./env";
import { logger } from "./log";

/** The composition root: everything a server or CLI command needs, wired once. */
export interface Services {
  dataDir: string;
  gdb: GateDb;
  registry: NodeRegistry;
  flows: FlowService;
  runner: ExecutionRunner;
  healthy(): boolean;
  /** For short-lived CLI commands. */
  close(): void;
  /** Graceful: let running executions finish (or cancel them after a grace period), then close. */
  shutdown(): Promise<void>;
}

export async function openServices(dataDir: string, options: { maintenance?: boolean } = {}): Promise<Services> {
  const registry = await loadDefaultRegistry();
  for (const problem of registry.problems) logger.error({ source: problem.source }, `node plugin not loaded: ${problem.message}`);
  const gdb = openDatabase(dataDir);
  const runner = new ExecutionRunner(gdb, registry);
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
  const close = () => {
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
    healthy: () => {
      try {
        gdb.sqlite.prepare("select 1").get();
        return true;
      } catch {
        return false;
      }
    },
    close,
    async shutdown() {
      maintenance?.stop();
      await runner.shutdown();
      gdb.close();
    },
  };
}
