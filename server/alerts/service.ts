/**
 * The alerting loop: evaluate rules (after each live run, and in a sweep every minute), turn
 * findings into incidents, and notify the rule's channels as the policy allows (policy.ts). All work
 * runs one job at a time on a promise chain, so two runs finishing together never race to open the
 * same incident or send the same alert twice.
 */
import type { Statement } from "better-sqlite3";
import type { HttpClient, OutboundGuard } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import { deliver } from "./channels/deliver";
import type { SecretSource } from "./channels/secrets";
import { getChannels, listRules } from "./config-store";
import { evaluateAll, evaluateForFlow, type FactSources } from "./evaluate";
import { deadLetterTable, flowRefs, type DeadLetterSource } from "./facts";
import { applyFinding, openIncidents, recentlyCleared, recordDelivery, type Transition } from "./incidents";
import { alertEvent, messageId } from "./message";
import { RUN_RULE_KINDS, type AlertRule } from "./model";
import { DEFAULT_FLAP_WINDOW_MS, alertDue, recoveryDue, type Incident } from "./policy";
import type { CredentialFact } from "./rules";

export interface AlertLog {
  info(data: Record<string, unknown>, msg: string): void;
  warn(data: Record<string, unknown>, msg: string): void;
  error(data: Record<string, unknown>, msg: string): void;
}

export interface AlertServiceDeps {
  gdb: GateDb;
  vault: SecretSource & { list(now?: number): readonly CredentialFact[] };
  /** Outbound HTTP and the address guard: alert webhooks and SMTP obey the SSRF rules too. */
  http: HttpClient;
  net: OutboundGuard;
  log: AlertLog;
  /** Where dlqGrowth rules count (default: the dead-letter table). */
  deadLetters?: DeadLetterSource;
  flapWindowMs?: number;
  now?: () => number;
}

/** Recoveries whose delivery failed are retried by the sweep for this long. */
const RECOVERY_RETRY_MS = 24 * 3600_000;
export const SWEEP_INTERVAL_MS = 60_000;

export class AlertService {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Flows with a check already queued: a burst of runs of one flow needs one check, not one each. */
  private readonly queuedFlows = new Set<string>();
  private readonly now: () => number;
  private readonly flapWindowMs: number;
  private readonly sources: FactSources;
  private anyRunRule: Statement | undefined;

  constructor(private readonly deps: AlertServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.flapWindowMs = deps.flapWindowMs ?? DEFAULT_FLAP_WINDOW_MS;
    this.sources = { gdb: deps.gdb, credentials: () => deps.vault.list(this.now()), deadLetters: deps.deadLetters ?? deadLetterTable(deps.gdb) };
  }

  /** For ExecutionRunner.onFinished: check the run-based rules of that flow. */
  readonly onExecutionFinished = (finished: { flowId: string }): void => {
    const { flowId } = finished;
    if (this.queuedFlows.has(flowId)) return;
    this.queuedFlows.add(flowId);
    void this.enqueue("run check", () => {
      this.queuedFlows.delete(flowId);
      return this.checkFlow(flowId);
    });
  };

  /** Evaluate every rule now (the timer calls this; tests and the UI may too). */
  sweep(): Promise<void> {
    return this.enqueue("sweep", () => this.sweepNow());
  }

  /** Resolves when every check queued so far has finished. */
  idle(): Promise<void> {
    return this.chain;
  }

  start(intervalMs = SWEEP_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
    void this.sweep();
  }

  async stop(): Promise<void> {
    // Checks queued after this point are dropped: the database may be closing.
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  private enqueue(what: string, job: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(() => (this.stopped ? undefined : job())).catch((error: unknown) => this.deps.log.error({ err: error }, `alerts: ${what} failed`));
    return this.chain;
  }

  private async checkFlow(flowId: string): Promise<void> {
    // Rules first: with none for this flow (the common case) a run costs one prepared query.
    this.anyRunRule ??= this.deps.gdb.sqlite.prepare(
      `SELECT 1 FROM alert_rules WHERE enabled = 1 AND kind IN (${[...RUN_RULE_KINDS].map(() => "?").join(", ")}) AND (flow_id IS NULL OR flow_id = ?) LIMIT 1`,
    );
    if (!this.anyRunRule.get(...RUN_RULE_KINDS, flowId)) return;
    const rules = listRules(this.deps.gdb, { enabledOnly: true }).filter((rule) => RUN_RULE_KINDS.has(rule.kind) && (rule.flowId === null || rule.flowId === flowId));
    if (!rules.length) return;
    const flow = flowRefs(this.deps.gdb, [flowId]).get(flowId);
    if (!flow) return;
    for (const rule of rules) {
      const finding = evaluateForFlow(rule, flow, this.sources, this.now());
      if (!finding) continue;
      const transition = applyFinding(this.deps.gdb, rule.id, finding, { now: this.now(), flapWindowMs: this.flapWindowMs });
      if (transition) await this.follow(rule, transition);
    }
  }

  private async sweepNow(): Promise<void> {
    const rules = listRules(this.deps.gdb, { enabledOnly: true });
    const byId = new Map(rules.map((r) => [r.id, r]));
    for (const rule of rules) {
      const findings = evaluateAll(rule, openIncidents(this.deps.gdb, rule.id), this.sources, this.now());
      for (const finding of findings) {
        const transition = applyFinding(this.deps.gdb, rule.id, finding, { now: this.now(), flapWindowMs: this.flapWindowMs });
        if (transition) await this.follow(rule, transition);
      }
    }
    // Alerts held back by a cooldown or a failed delivery, and recoveries that did not get out.
    for (const incident of openIncidents(this.deps.gdb)) {
      const rule = byId.get(incident.ruleId);
      if (rule && alertDue(incident, rule.cooldownMs, this.now())) await this.notify("alert", rule, incident);
    }
    for (const incident of recentlyCleared(this.deps.gdb, this.now() - RECOVERY_RETRY_MS)) {
      const rule = byId.get(incident.ruleId);
      if (rule && recoveryDue(incident)) await this.notify("recovery", rule, incident);
    }
  }

  private async follow(rule: AlertRule, { change, incident }: Transition): Promise<void> {
    if (change === "cleared") {
      if (recoveryDue(incident)) await this.notify("recovery", rule, incident);
    } else if (alertDue(incident, rule.cooldownMs, this.now())) {
      await this.notify("alert", rule, incident);
    }
  }

  private async notify(kind: "alert" | "recovery", rule: AlertRule, incident: Incident): Promise<void> {
    const channels = getChannels(this.deps.gdb, rule.channelIds).filter((c) => c.enabled);
    const flowName = incident.flowId ? (flowRefs(this.deps.gdb, [incident.flowId]).get(incident.flowId)?.name ?? null) : null;
    const now = this.now();
    const event = alertEvent({ kind, incident, rule, flowName, now });
    const result = await deliver(channels, event, messageId(event, incident), this.deps, now);
    // One channel that took it is enough to count the incident as told; the others are reported,
    // and a notification no channel took is retried by the next sweep.
    const sentAt = result.delivered.length > 0 || result.failed.length === 0 ? this.now() : null;
    recordDelivery(this.deps.gdb, incident.id, { kind, sentAt, error: result.failed.length ? result.failed.join("; ") : null });
    const data = { incident: incident.id, rule: rule.name, kind, delivered: result.delivered, failed: result.failed };
    if (result.failed.length) this.deps.log.warn(data, "alerts: some channels did not take the notification");
    else this.deps.log.info(data, `alerts: ${event.type}`);
  }
}
