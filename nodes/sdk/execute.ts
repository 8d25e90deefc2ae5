import { ConfigExpressions, parseConfig } from "./config";
import { compileExpression } from "./expr";
import { toNodeError, type NodeError } from "./errors";
import { ERROR_PORT, MAIN_PORT } from "./ports";
import { NO_RETRY, retryDelay, shouldRetry, sleep, type RetryPolicy } from "./retry";
import type {
  AnyNodeDefinition,
  BatchResult,
  Credential,
  Item,
  ItemEmit,
  ItemError,
  MaybePromise,
  NodeContext,
  PortItems,
  RunItemArgs,
} from "./types";

/** A node of a flow version, with config parsed and expressions compiled: built once, run many times. */
export interface PreparedNode {
  readonly id: string;
  readonly def: AnyNodeDefinition;
  readonly config: Record<string, unknown>;
  readonly prepared: unknown;
  readonly expressions: ConfigExpressions;
}

export function prepareNode(id: string, def: AnyNodeDefinition, rawConfig: unknown): PreparedNode {
  const config = parseConfig(def.config, rawConfig);
  const expressions = ConfigExpressions.find(config);
  const prepared = def.prepare ? def.prepare({ config, compile: compileExpression }) : undefined;
  return { id, def, config, prepared, expressions };
}

export interface ExecuteOptions {
  ctx: NodeContext;
  credential: Credential | undefined;
  /** When the `error` port leads somewhere, failed items go there instead of failing the node. */
  errorPortConnected: boolean;
  retry?: RetryPolicy;
  /** A failed item that no error port takes continues on `main` with these fields (the node's fallback). */
  fallback?: Record<string, unknown>;
}

/** `retries`: extra attempts the retry policy made (over all items), for the run record. */
export type NodeOutcome = { kind: "batch"; outputs: PortItems; retries?: number } | { kind: "stream"; batches: AsyncIterable<PortItems> };

/** A failure no `error` port catches: it ends the run. */
export class NodeFailure extends Error {
  readonly nodeId: string;
  readonly error: NodeError;
  readonly attempt: number;
  constructor(nodeId: string, error: NodeError, attempt: number) {
    super(error.message, { cause: error });
    this.name = "NodeFailure";
    this.nodeId = nodeId;
    this.error = error;
    this.attempt = attempt;
  }
}

export async function executeNode(node: PreparedNode, inputs: PortItems, options: ExecuteOptions): Promise<NodeOutcome> {
  return node.def.runItem
    ? runEachItem(node, concatInputs(inputs), options)
    : runBatch(node, inputs, options);
}

function concatInputs(inputs: PortItems): Item[] {
  const ports = Object.keys(inputs);
  if (ports.length === 1) return inputs[ports[0]!]!;
  // Not flatMap: on arrays of objects it takes a generic path that is ~20× slower than concat.
  return ([] as Item[]).concat(...ports.map((p) => inputs[p]!));
}

async function runEachItem(node: PreparedNode, items: Item[], options: ExecuteOptions): Promise<NodeOutcome> {
  const { def, prepared, config } = node;
  const { ctx, credential } = options;
  const out = new Collector();
  let retries = 0;
  // The hot path stays synchronous for synchronous nodes without config expressions, and passes
  // one arguments object, refilled per item: an item is finished (awaited) before the next one
  // starts, and a node reads its arguments when called, so no node sees another item's.
  const direct = node.expressions.empty;
  const args: RunItemArgs<Record<string, unknown>, unknown> = { item: {}, config, prepared, credential, ctx };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    try {
      let emit: MaybePromise<ItemEmit>;
      if (direct) {
        args.item = item;
        emit = def.runItem!(args);
      } else emit = runResolved(node, item, options);
      if (emit instanceof Promise) emit = await emit;
      if (emit) out.add(emit, item);
    } catch (thrown) {
      const retried = await retryAfter(thrown, () => runResolved(node, item, options), options);
      retries += retried.attempt - 1;
      if (retried.ok) {
        if (retried.value) out.add(retried.value, item);
      } else failItem(node.id, out.ports, item, retried.error, retried.attempt, options);
    }
  }
  return retries > 0 ? { kind: "batch", outputs: out.ports, retries } : { kind: "batch", outputs: out.ports };
}

/** One item with the config's expressions resolved against it. */
async function runResolved(node: PreparedNode, item: Item, options: ExecuteOptions): Promise<ItemEmit> {
  const { ctx, credential } = options;
  const config = await node.expressions.resolve(node.config, item, ctx);
  return node.def.runItem!({ item, config, prepared: node.prepared, credential, ctx });
}

async function runBatch(node: PreparedNode, inputs: PortItems, options: ExecuteOptions): Promise<NodeOutcome> {
  const { ctx, credential } = options;
  const items = concatInputs(inputs);
  const configFor = (item: Item) => node.expressions.resolve(node.config, item, ctx);
  const once = async () => {
    const config = node.expressions.empty ? node.config : await configFor(items[0] ?? {});
    return node.def.run!({ items, inputs, config, prepared: node.prepared, credential, ctx, configFor });
  };
  let result: BatchResult;
  let retries = 0;
  try {
    result = await once();
  } catch (thrown) {
    const retried = await retryAfter(thrown, once, options);
    retries = retried.attempt - 1;
    if (!retried.ok) {
      const out: PortItems = {};
      for (const item of items.length ? items : [{}]) failItem(node.id, out, item, retried.error, retried.attempt, options);
      return { kind: "batch", outputs: out, retries };
    }
    result = retried.value;
  }
  if (Symbol.asyncIterator in result) return { kind: "stream", batches: guardStream(node.id, result) };
  return retries > 0 ? { kind: "batch", outputs: result, retries } : { kind: "batch", outputs: result };
}

/** `attempt`: how many attempts were made in all (the first one included). */
type Retried<T> = { ok: true; value: T; attempt: number } | { ok: false; error: NodeError; attempt: number };

/** After a first failure, try again as the retry policy allows (retryable errors only). */
async function retryAfter<T>(first: unknown, again: () => Promise<T>, options: ExecuteOptions): Promise<Retried<T>> {
  const policy = options.retry ?? NO_RETRY;
  const { signal } = options.ctx;
  let error = toNodeError(first);
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const delay = retryDelay(policy, attempt, error);
    if (signal.aborted || !shouldRetry(policy, attempt, error, performance.now() - started, delay)) return { ok: false, error, attempt };
    await sleep(delay, signal);
    try {
      return { ok: true, value: await again(), attempt: attempt + 1 };
    } catch (thrown) {
      error = toNodeError(thrown);
    }
  }
}

async function* guardStream(nodeId: string, batches: AsyncIterable<PortItems>): AsyncIterable<PortItems> {
  try {
    yield* batches;
  } catch (thrown) {
    // A stream that broke halfway cannot be retried without repeating what it already yielded.
    throw new NodeFailure(nodeId, toNodeError(thrown), 1);
  }
}

function failItem(nodeId: string, out: PortItems, item: Item, error: NodeError, attempt: number, options: ExecuteOptions) {
  if (!options.errorPortConnected && options.fallback) {
    options.ctx.log.warn("item failed; continuing with the node's fallback", { code: error.code, attempt });
    (out[MAIN_PORT] ??= []).push({ ...item, ...options.fallback });
    return;
  }
  if (!options.errorPortConnected) throw new NodeFailure(nodeId, error, attempt);
  const described: ItemError = { message: error.message, code: error.code, node: nodeId, attempt };
  if (error.hint) described.hint = error.hint;
  if (error.details) described.details = error.details;
  (out[ERROR_PORT] ??= []).push({ error: described, item });
}

/** Gathers what runItem emits, item after item, into one list per port. */
class Collector {
  readonly ports: PortItems = {};
  // Consecutive items mostly go to the same port: remember its list rather than look it up by name.
  private lastPort: string | undefined;
  private lastList: Item[] = [];

  add(emit: NonNullable<ItemEmit>, input: Item): void {
    if (typeof emit === "string") {
      this.list(emit).push(input);
      return;
    }
    for (const port in emit) {
      const value = emit[port];
      if (value === undefined) continue;
      const list = this.list(port);
      if (Array.isArray(value)) for (const v of value as Item[]) list.push(v);
      else list.push(value as Item);
    }
  }

  private list(port: string): Item[] {
    if (port === this.lastPort) return this.lastList;
    this.lastPort = port;
    return (this.lastList = this.ports[port] ??= []);
  }
}
