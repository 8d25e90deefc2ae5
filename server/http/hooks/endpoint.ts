/**
 * What ingress needs to know about one webhook trigger, built once per flow version from the
 * compiled flow (the same cache the runner uses): the trigger's parsed config, the ingress checks
 * of the nodes right after it, the payload schema, the allowlist and the rate limiter.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { AnyNodeDefinition } from "../../../nodes/sdk";
import type { GateDb } from "../../db/client";
import { getFlowVersion } from "../../db/flows";
import type { WebhookRoute } from "../../db/routes";
import { compileFlowCached, type CompiledFlow } from "../../engine/flow/compile";
import type { NodeRegistry } from "../../engine/registry";
import { ipMatcher } from "./allowlist";
import type { TriggerAuth } from "./auth";
import { TokenBucket } from "./rate-limit";

/** The trigger.webhook config fields ingress reads (the node's zod schema parsed and defaulted them). */
export interface TriggerConfig {
  path: string;
  method: string;
  responseMode: "acknowledge" | "respondNode";
  respondTimeoutMs: number;
  auth: TriggerAuth;
  ipAllowlist?: string[];
  maxBodyBytes: number;
  schema?: Record<string, unknown>;
  rateLimit?: { requests: number; perSeconds: number };
  idempotencyHeader?: string;
  dedupeBodySeconds?: number;
}

export interface IngressCheck {
  nodeId: string;
  def: AnyNodeDefinition;
  config: Record<string, unknown>;
}

export interface Endpoint {
  flowId: string;
  flowName: string;
  version: number;
  nodeId: string;
  /** The flow's per-run time limit. */
  timeoutMs: number;
  config: TriggerConfig;
  checks: IngressCheck[];
  /** Header names (lower case) holding secrets for this endpoint, besides the well-known ones. */
  secretHeaders: ReadonlySet<string>;
  validate?: ValidateFunction;
  allows?: (address: string) => boolean;
  limiter?: TokenBucket;
  /** Set when the flow cannot be served safely; requests are refused with this reason. */
  misconfigured?: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

export class Endpoints {
  private readonly cache = new Map<string, Endpoint>();
  // Keyed without the version, so saving a flow does not hand a sender a fresh burst.
  private readonly limiters = new Map<string, TokenBucket>();

  constructor(
    private readonly gdb: GateDb,
    private readonly registry: NodeRegistry,
  ) {}

  get(route: WebhookRoute): Endpoint {
    const key = `${route.flowId}@${route.version}#${route.nodeId}`;
    let endpoint = this.cache.get(key);
    if (!endpoint) {
      endpoint = this.build(route);
      if (this.cache.size >= 1000) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, endpoint);
    }
    return endpoint;
  }

  private build(route: WebhookRoute): Endpoint {
    const stored = getFlowVersion(this.gdb, route.flowId, route.version);
    if (!stored) throw new Error(`flow ${route.flowId} has no version ${route.version}`);
    const flow = compileFlowCached(`${route.flowId}@${route.version}`, stored.doc, this.registry);
    const trigger = flow.nodes.get(route.nodeId);
    if (!trigger) throw new Error(`flow ${route.flowId}@${route.version} has no node ${route.nodeId}`);
    const config = trigger.config as unknown as TriggerConfig;
    const checks = directChecks(flow, route.nodeId);
    const secretHeaders = new Set<string>();
    if (config.auth.type === "apiKey") secretHeaders.add(config.auth.header.toLowerCase());
    for (const check of checks) for (const name of check.def.ingress?.secretHeaders?.(check.config) ?? []) secretHeaders.add(name.toLowerCase());
    return {
      flowId: route.flowId,
      flowName: stored.doc.name,
      version: route.version,
      nodeId: route.nodeId,
      timeoutMs: flow.flow.settings.timeoutMs,
      config,
      checks,
      secretHeaders,
      validate: config.schema ? ajv.compile(config.schema) : undefined,
      allows: config.ipAllowlist?.length ? ipMatcher(config.ipAllowlist) : undefined,
      limiter: config.rateLimit && this.limiter(`${route.flowId}#${route.nodeId}`, config.rateLimit),
      misconfigured: misplacedCheck(flow, route.nodeId, checks),
    };
  }

  private limiter(key: string, limit: { requests: number; perSeconds: number }): TokenBucket {
    const current = this.limiters.get(key);
    if (current && current.requests === limit.requests && current.perSeconds === limit.perSeconds) return current;
    const bucket = new TokenBucket(limit.requests, limit.perSeconds);
    this.limiters.set(key, bucket);
    return bucket;
  }
}

/** Nodes with an ingress check that the trigger's `main` output feeds directly. */
function directChecks(flow: CompiledFlow, triggerId: string): IngressCheck[] {
  const checks: IngressCheck[] = [];
  for (const { to } of flow.targets.get(triggerId)?.get("main") ?? []) {
    const node = flow.nodes.get(to)!;
    if (node.def.ingress) checks.push({ nodeId: to, def: node.def, config: node.config });
  }
  return checks;
}

/**
 * A signature check placed further down would pass every request through unverified (only
 * ingress has the raw bytes to check), so such a flow fails closed instead of running open.
 */
function misplacedCheck(flow: CompiledFlow, triggerId: string, direct: IngressCheck[]): string | undefined {
  const seen = new Set<string>([triggerId]);
  const queue = [triggerId];
  while (queue.length) {
    const id = queue.shift()!;
    for (const targets of flow.targets.get(id)?.values() ?? [])
      for (const { to } of targets) {
        if (seen.has(to)) continue;
        seen.add(to);
        queue.push(to);
        if (flow.nodes.get(to)!.def.ingress && !direct.some((c) => c.nodeId === to))
          return `node "${to}" (${flow.nodes.get(to)!.def.type}) must come directly after the webhook trigger "${triggerId}" to check requests`;
      }
  }
  return undefined;
}

/** Every violation, as `path: message`. */
export function describeViolations(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const missing = error.keyword === "required" ? `/${String((error.params as { missingProperty?: string }).missingProperty)}` : "";
    return `${error.instancePath}${missing}` ? `${error.instancePath}${missing}: ${error.message ?? error.keyword}` : `(body): ${error.message ?? error.keyword}`;
  });
}
