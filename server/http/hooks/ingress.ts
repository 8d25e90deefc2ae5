/**
 * Webhook ingress at /hooks/<path>: the hot path, answered by plain Node http. Checks run cheapest
 * first and nothing is stored before all of them pass: route, allowlist, rate limit, size, auth,
 * signatures (over the raw bytes), parsing, schema. Then the event is committed durably and
 * acknowledged (202), or run at once for a Respond node. Every request leaves a webhook log row.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { NodeError, type Credential, type IngressRequest } from "../../../nodes/sdk";
import type { GateDb } from "../../db/client";
import { normalizePath } from "../../db/routes";
import type { CredentialResolver } from "../../engine/interpreter";
import type { NodeRegistry } from "../../engine/registry";
import { startExecution } from "../../db/executions";
import { timeOrderedId } from "../../db/ids";
import { triggerPayload, type ExecutionRunner } from "../../engine/runner";
import { payloadItems, type RequestMeta } from "../../queue/payload";
import type { EventStore } from "../../queue/store";
import { checkAuth } from "./auth";
import { readBody } from "./body";
import { describeViolations, Endpoints, type Endpoint } from "./endpoint";
import { idempotencyKey } from "./idempotency";
import type { LogEntry, WebhookLog } from "./log-store";
import { parseBody } from "./parse";
import { flatHeaders, redactHeaders } from "./redact";
import { Rejection } from "./rejection";
import { respondInline } from "./respond";
import { RouteCache } from "./route-cache";
import { send, writeFlowResponse, type Answer } from "./reply";
import { allowedMethods } from "./routes";

export const HOOKS_PREFIX = "/hooks/";

export interface IngressDeps {
  gdb: GateDb;
  registry: NodeRegistry;
  runner: ExecutionRunner;
  store: EventStore;
  /** Told when an event was queued, so a worker picks it up at once. */
  notify: () => void;
  log: WebhookLog;
  credentials: CredentialResolver | undefined;
  /** Told of every refused credential or signature (the audit log watches for repeated failures). */
  onAuthFailure?: (failure: { path: string; ip: string; kind: "auth" | "signature"; reason: string }) => void;
  onError: (error: unknown, context: Record<string, unknown>) => void;
}

interface Request {
  at: number;
  started: number;
  method: string;
  path: string;
  query: Record<string, string>;
  ip: string;
  headers: Record<string, string>;
  bytes: number;
  endpoint?: Endpoint;
  /** The headers as stored (secrets redacted), once the endpoint is known; the log row reuses them. */
  redacted?: Record<string, string>;
}

export class HookIngress {
  private readonly endpoints: Endpoints;
  private readonly routes: RouteCache;

  constructor(private readonly deps: IngressDeps) {
    this.endpoints = new Endpoints(deps.gdb, deps.registry);
    this.routes = new RouteCache(deps.gdb);
  }

  /** Handle a request whose URL starts with /hooks/. Never throws: every failure is an answer. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://hooks.invalid");
    const request: Request = {
      at: Date.now(),
      started: performance.now(),
      method: (req.method ?? "GET").toUpperCase(),
      path: normalizePath(url.pathname.slice(HOOKS_PREFIX.length)),
      query: Object.fromEntries(url.searchParams),
      ip: req.socket.remoteAddress ?? "",
      headers: flatHeaders(req.headers),
      bytes: 0,
    };
    this.process(request, req, res)
      .catch((error: unknown) => this.refuse(res, error, request))
      .then((answer) => this.record(request, answer))
      .catch((error: unknown) => this.deps.onError(error, { path: request.path, step: "webhook log" }));
  };

  private async process(request: Request, req: IncomingMessage, res: ServerResponse): Promise<Answer> {
    const route = this.routes.find(request.method, request.path);
    if (!route) {
      req.resume();
      const allow = allowedMethods(this.deps.gdb, request.path);
      if (allow.length) throw new Rejection(405, `/hooks/${request.path} does not take ${request.method}; use ${allow.join(", ")}`, { allow: allow.join(", ") });
      throw new Rejection(404, `no active webhook at /hooks/${request.path}`);
    }
    const endpoint = this.endpoints.get(route);
    request.endpoint = endpoint;
    const { config } = endpoint;
    if (endpoint.misconfigured) throw new Rejection(503, `flow misconfigured: ${endpoint.misconfigured}`, {}, "this webhook is not configured correctly");
    if (endpoint.allows && !endpoint.allows(request.ip)) throw new Rejection(403, `source address ${request.ip} is not in the allowlist`);
    const slot = endpoint.limiter?.take(request.at);
    if (slot && !slot.ok)
      throw new Rejection(429, `rate limit of ${config.rateLimit!.requests} requests per ${config.rateLimit!.perSeconds} s reached`, {
        "retry-after": String(slot.retryAfterSeconds),
      });

    const raw = await readBody(req, config.maxBodyBytes);
    request.bytes = raw.length;
    await this.authenticate(endpoint, request, raw);

    const parsed = parseBody(raw, request.headers["content-type"], request.query);
    if (!parsed.ok) throw new Rejection(parsed.status, parsed.reason);
    if (endpoint.validate && !endpoint.validate(parsed.payload)) {
      const violations = describeViolations(endpoint.validate.errors);
      throw new Rejection(400, `the body does not match the endpoint's schema (${violations.length} violation${violations.length === 1 ? "" : "s"}): ${violations.join("; ")}`);
    }

    const meta: RequestMeta = {
      method: request.method,
      path: request.path,
      query: request.query,
      headers: (request.redacted = redactHeaders(request.headers, endpoint.secretHeaders)),
      sourceIp: request.ip,
      contentType: request.headers["content-type"],
    };
    const key = idempotencyKey({
      headers: request.headers,
      configuredHeader: config.idempotencyHeader,
      payload: parsed.payload,
      raw,
      dedupeBodySeconds: config.dedupeBodySeconds,
      now: request.at,
    });
    const inline = config.responseMode === "respondNode";
    const items = inline ? payloadItems(parsed.payload) : undefined;
    const executionId = inline ? timeOrderedId() : undefined;
    const accepted = await this.deps.store.accept({
      flowId: endpoint.flowId,
      flowVersion: endpoint.version,
      triggerNodeId: endpoint.nodeId,
      payload: parsed.json,
      request: JSON.stringify(meta),
      idempotencyKey: key,
      // The request runs the event itself; the lease outlives the flow's time limit so a worker
      // takes it over only if this process dies.
      ...(inline && {
        leasedUntil: Date.now() + endpoint.timeoutMs + 60_000,
        durable: false,
        // The execution is recorded as started in the event's own commit, not in one more.
        onStored: () =>
          startExecution(this.deps.gdb, {
            id: executionId,
            flowId: endpoint.flowId,
            flowVersion: endpoint.version,
            mode: "live",
            triggerPayload: triggerPayload(items!),
          }),
      }),
    });
    if (accepted.duplicate) {
      if (accepted.response) return replay(res, accepted.eventId, accepted.response);
      send(res, 202, { eventId: accepted.eventId, duplicate: true });
      return { status: 202, outcome: "duplicate", eventId: accepted.eventId };
    }
    if (!inline) {
      this.deps.notify();
      send(res, 202, { eventId: accepted.eventId });
      return { status: 202, outcome: "accepted", eventId: accepted.eventId };
    }
    return respondInline(
      { runner: this.deps.runner, store: this.deps.store, onError: this.deps.onError },
      { endpoint, eventId: accepted.eventId, executionId: executionId!, items: items!, meta },
      res,
    );
  }

  private async authenticate(endpoint: Endpoint, request: Request, raw: Buffer): Promise<void> {
    const { auth } = endpoint.config;
    const now = Date.now();
    if (auth.type !== "none") {
      const credential = await this.credential(auth.credential, endpoint.config.path);
      const verdict = checkAuth(auth, request.headers, credential, now);
      if (!verdict.ok) {
        this.deps.onAuthFailure?.({ path: endpoint.config.path, ip: request.ip, kind: "auth", reason: verdict.reason });
        throw new Rejection(401, verdict.reason, verdict.challenge ? { "www-authenticate": verdict.challenge } : {});
      }
    }
    const ingressRequest: IngressRequest = { method: request.method, headers: request.headers, rawBody: raw, now };
    for (const check of endpoint.checks) {
      const ref = check.config.credential;
      const credential = typeof ref === "string" && ref ? await this.credential(ref, endpoint.config.path) : undefined;
      const verdict = check.def.ingress!.verify({ config: check.config, credential, request: ingressRequest });
      if (!verdict.ok) {
        this.deps.onAuthFailure?.({ path: endpoint.config.path, ip: request.ip, kind: "signature", reason: verdict.reason });
        throw new Rejection(401, `${check.def.title} (node "${check.nodeId}"): ${verdict.reason}`);
      }
    }
  }

  private async credential(ref: string, path: string): Promise<Credential> {
    const resolver = this.deps.credentials;
    const unavailable = (why: string) => new Rejection(503, `credential "${ref}" of /hooks/${path} ${why}`, {}, "this webhook is not configured correctly");
    if (!resolver) throw unavailable("cannot be resolved: no credential store");
    try {
      return await resolver.resolve(ref);
    } catch (error) {
      throw unavailable(error instanceof NodeError ? `is unavailable: ${error.message}` : "is unavailable");
    }
  }

  private refuse(res: ServerResponse, error: unknown, request: Request): Answer {
    if (error instanceof Rejection) {
      send(res, error.status, { error: error.publicMessage ?? error.reason }, error.status === 413 ? { ...error.headers, connection: "close" } : error.headers);
      return { status: error.status, outcome: "rejected", reason: error.reason };
    }
    this.deps.onError(error, { path: request.path, flow: request.endpoint?.flowId });
    // Anything unexpected (the database is gone, a bug): the sender should retry; nothing was acknowledged.
    send(res, 503, { error: "the webhook could not be accepted; try again" });
    return { status: 503, outcome: "rejected", reason: `internal error: ${error instanceof Error ? error.message : String(error)}` };
  }

  private record(request: Request, answer: Answer): void {
    const entry: LogEntry = {
      at: request.at,
      method: request.method,
      path: request.path,
      flowId: request.endpoint?.flowId,
      sourceIp: request.ip,
      bytes: request.bytes,
      latencyMs: performance.now() - request.started,
      status: answer.status,
      outcome: answer.outcome,
      reason: answer.reason,
      headers: request.redacted ?? redactHeaders(request.headers, request.endpoint?.secretHeaders),
      eventId: answer.eventId,
    };
    this.deps.log.record(entry);
  }
}

function replay(res: ServerResponse, eventId: string, stored: string): Answer {
  const response = JSON.parse(stored) as { status: number; headers: Record<string, string>; body: unknown };
  writeFlowResponse(res, response, { "x-gate-event-id": eventId, "x-gate-redelivery": "true" });
  return { status: response.status, outcome: "duplicate", eventId };
}
