import {
  NodeError,
  NodeFailure,
  createNodeContext,
  executeNode,
  inputPorts,
  offlineHost,
  silentLogger,
  credentialSecrets,
  type Credential,
  type ExpressionBindings,
  type Item,
  type NodeLogger,
  type NodeOutcome,
  type PortItems,
  type RunMode,
  type NodeHost,
  type WebhookResponse,
} from "../../nodes/sdk";
import type { CompiledFlow } from "./flow/compile";
import { RunRecorder } from "./recorder";
import { scrubSecrets } from "./scrub";
import type { RunRecord } from "./run-record";

export interface CredentialResolver {
  /** Resolve a credential reference (name or id); throws a NodeError naming it when missing. */
  resolve(ref: string): Promise<Credential>;
}

export interface RunOptions {
  /** The trigger's payload: one item per element. */
  input: Item[];
  mode: RunMode;
  /** In a test run: send for real instead of a dry run. */
  live?: boolean;
  /** Which trigger receives the input (default: the first). */
  trigger?: string;
  /** Start at this node with `input` as its main input (a test run from a node). */
  startAt?: string;
  /** Use the flow's pinned outputs instead of running those nodes (test runs only). */
  pinned?: Record<string, Item[]>;
  signal?: AbortSignal;
  timeoutMs?: number;
  executionId?: string;
  request?: ExpressionBindings["request"];
  /** The queued event this live run works on; `$event` in expressions, and the base of stable delivery keys. */
  event?: ExpressionBindings["event"];
  credentials?: CredentialResolver;
  log?: NodeLogger;
  /** Network, flow state and files lent to nodes (default: offline). */
  host?: NodeHost;
  onRespond?: (response: WebhookResponse) => void;
}

interface Run {
  flow: CompiledFlow;
  options: RunOptions;
  signal: AbortSignal;
  deadline: number;
  timeout: AbortController;
  bindings: ExpressionBindings;
  recorder: RunRecorder;
  credentials: Map<string, Promise<Credential>>;
  /** Values of the credentials this run resolved: scrubbed from everything it records and answers. */
  secrets: Set<string>;
  /** One per run, shared by every node's context (an offline one when the caller lends none). */
  host: NodeHost;
  onRespond: (response: WebhookResponse) => void;
}

/**
 * Run a compiled flow. Items move in waves through the nodes in topological order; a streaming
 * node's batches each run the rest of the graph before the next batch is read, so memory is bounded
 * by batch size. Per-node behaviour lives in the SDK's executor; this loop only routes.
 */
export async function runFlow(flow: CompiledFlow, options: RunOptions): Promise<RunRecord> {
  const limitMs = options.timeoutMs ?? flow.flow.settings.timeoutMs;
  // The timer fires only when the event loop is free; a node that computes synchronously for long
  // is caught by the deadline check between nodes instead (see `wave`).
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new NodeError("time limit", { code: "TIMEOUT" })), limitMs);
  timer.unref();
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  const executionId = options.executionId ?? crypto.randomUUID();
  const run: Run = {
    flow,
    options,
    signal,
    deadline: performance.now() + limitMs,
    timeout,
    bindings: { execution: { id: executionId, mode: options.mode }, flow: { name: flow.flow.name }, request: options.request, event: options.event },
    recorder: new RunRecorder(flow.order),
    credentials: new Map(),
    secrets: new Set(),
    host: options.host ?? offlineHost(),
    onRespond: (response) => {
      const clean = scrubSecrets(response, run.secrets);
      if (run.recorder.respond(clean)) options.onRespond?.(clean);
    },
  };
  const entry = options.startAt ?? options.trigger ?? flow.triggers[0];
  if (!entry || !flow.nodes.has(entry)) {
    clearTimeout(timer);
    return run.recorder.fail(new NodeError(`there is no node "${entry}" to start from`, { code: "NO_ENTRY" }));
  }
  // A run started at a node feeds its first input (a merge has `a` and `b`, not `main`).
  const entryPort = options.startAt ? (inputPorts(flow.nodes.get(entry)!.def)[0] ?? "main") : "main";
  try {
    await wave(run, 0, new Map([[entry, { [entryPort]: options.input }]]));
    // A node that ignored the abort signal may have finished past the limit: still report it.
    checkDeadline(run);
    return scrubSecrets(run.recorder.finish(), run.secrets);
  } catch (error) {
    if (signal.aborted) return scrubSecrets(run.recorder.abort(timeout.signal.aborted ? "TIMEOUT" : "CANCELLED", signal.reason), run.secrets);
    if (error instanceof NodeFailure) return scrubSecrets(run.recorder.nodeFailed(error), run.secrets);
    return scrubSecrets(run.recorder.fail(error), run.secrets);
  } finally {
    clearTimeout(timer);
  }
}

async function wave(run: Run, start: number, inbox: Map<string, PortItems>): Promise<void> {
  const { order } = run.flow;
  for (let i = start; i < order.length; i++) {
    const id = order[i]!;
    const inputs = inbox.get(id);
    if (!inputs) continue;
    inbox.delete(id);
    checkDeadline(run);
    const pinned = run.options.mode === "test" ? run.options.pinned?.[id] : undefined;
    if (pinned) {
      run.recorder.pinned(id, inputs, pinned);
      deliver(run, id, { main: pinned }, inbox);
      continue;
    }
    const started = performance.now();
    // Most nodes have no credential: only a lookup that is pending costs an await.
    let credential: Credential | Promise<Credential> | undefined = credentialFor(run, id);
    if (credential instanceof Promise) credential = await credential;
    let outcome: NodeOutcome;
    try {
      outcome = await executeNode(run.flow.nodes.get(id)!, inputs, {
        ctx: contextFor(run, id),
        credential,
        errorPortConnected: run.flow.targets.get(id)?.has("error") === true,
        retry: run.flow.retry.get(id),
        fallback: run.flow.fallback.get(id),
      });
    } catch (error) {
      run.recorder.stepFailed(id, inputs, performance.now() - started);
      throw error;
    }
    if (outcome.kind === "batch") {
      run.recorder.step(id, inputs, outcome.outputs, performance.now() - started, outcome.retries);
      deliver(run, id, outcome.outputs, inbox);
      continue;
    }
    run.recorder.step(id, inputs, {}, performance.now() - started);
    let at = performance.now();
    for await (const batch of outcome.batches) {
      run.recorder.streamed(id, batch, performance.now() - at);
      const downstream = new Map<string, PortItems>();
      deliver(run, id, batch, downstream);
      await wave(run, i + 1, downstream);
      checkDeadline(run);
      at = performance.now();
    }
  }
}

function checkDeadline(run: Run) {
  if (!run.signal.aborted && performance.now() > run.deadline) run.timeout.abort(new NodeError("time limit", { code: "TIMEOUT" }));
  if (run.signal.aborted) throw run.signal.reason;
}

function deliver(run: Run, from: string, outputs: PortItems, inbox: Map<string, PortItems>) {
  const byPort = run.flow.targets.get(from);
  if (!byPort) return;
  for (const port in outputs) {
    const items = outputs[port]!;
    if (items.length === 0) continue;
    for (const { to, toPort } of byPort.get(port) ?? []) {
      const inputs = inbox.get(to) ?? {};
      inbox.set(to, inputs);
      const list = inputs[toPort];
      if (list) for (const item of items) list.push(item);
      else inputs[toPort] = items.slice();
    }
  }
}

function contextFor(run: Run, id: string) {
  const def = run.flow.nodes.get(id)!.def;
  return createNodeContext({
    nodeId: id,
    mode: run.options.mode,
    dryRun: def.sideEffects === true && run.options.mode === "test" && run.options.live !== true,
    signal: run.signal,
    log: run.options.log ?? silentLogger,
    bindings: run.bindings,
    onRespond: run.onRespond,
    host: run.host,
  });
}

function credentialFor(run: Run, id: string): Promise<Credential> | undefined {
  const ref = run.flow.nodes.get(id)!.config.credential;
  if (typeof ref !== "string" || !ref) return undefined;
  const resolver = run.options.credentials;
  if (!resolver)
    return Promise.reject(
      new NodeFailure(id, new NodeError(`credential "${ref}" cannot be resolved: no credential store`, { code: "CREDENTIAL_MISSING" }), 1),
    );
  let pending = run.credentials.get(ref);
  if (!pending) {
    pending = resolver.resolve(ref).then((credential) => {
      for (const secret of credentialSecrets(credential)) run.secrets.add(secret);
      return credential;
    });
    run.credentials.set(ref, pending);
  }
  return pending.catch((error: unknown) => {
    throw new NodeFailure(id, error instanceof NodeError ? error : new NodeError(String(error), { code: "CREDENTIAL_MISSING" }), 1);
  });
}
