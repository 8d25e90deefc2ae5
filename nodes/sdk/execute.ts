import { ConfigExpressions, parseConfig } from "./config";
import { compileExpression } from "./expr";
import { toNodeError, type NodeError } from "./errors";
import { ERROR_PORT } from "./ports";
import { NO_RETRY, retryDelay, sleep, type RetryPolicy } from "./retry";
import type {
  AnyNodeDefinition,
  BatchResult,
  Credential,
  Item,
  ItemEmit,
  ItemError,
  NodeContext,
  PortItems,
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
}

export type NodeOutcome = { kind: "batch"; outputs: PortItems } | { kind: "stream"; batches: AsyncIterable<PortItems> };

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
    ? { kind: "batch", outputs: await runEachItem(node, concatInputs(inputs), options) }
    : runBatch(node, inputs, options);
}

function concatInputs(inputs: PortItems): Item[] {
  const ports = Object.keys(inputs);
  if (ports.length === 1) return inputs[ports[0]!]!;
  // Not flatMap: on arrays of objects it takes a generic path that is ~20× slower than concat.
  return ([] as Item[]).concat(...ports.map((p) => inputs[p]!));
}

async function runEachItem(node: PreparedNode, items: Item[], options: ExecuteOptions): Promise<PortItems> {
  const { def, prepared } = node;
  const { ctx, credential } = options;
  const out: PortItems = {};
  const once = async (item: Item) =>
    def.runItem!({ item, config: await node.expressions.resolve(node.config, item, ctx), prepared, credential, ctx });
  for (const item of items) {
    try {
      // The hot path stays synchronous for synchronous nodes without config expressions.
      let emit = node.expressions.empty ? def.runItem!({ item, config: node.config, prepared, credential, ctx }) : once(item);
      if (emit instanceof Promise) emit = await emit;
      route(out, emit);
    } catch (thrown) {
      const retried = await retryAfter(thrown, () => once(item), options);
      if (retried.ok) route(out, retried.value);
      else failItem(node.id, out, item, retried.error, retried.attempt, options);
    }
  }
  return out;
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
  try {
    result = await once();
  } catch (thrown) {
    const retried = await retryAfter(thrown, once, options);
    if (!retried.ok) {
      const out: PortItems = {};
      for (const item of items.length ? items : [{}]) failItem(node.id, out, item, retried.error, retried.attempt, options);
      return { kind: "batch", outputs: out };
    }
    result = retried.value;
  }
  if (Symbol.asyncIterator in result) return { kind: "stream", batches: guardStream(node.id, result) };
  return { kind: "batch", outputs: result };
}

type Retried<T> = { ok: true; value: T } | { ok: false; error: NodeError; attempt: number };

/** After a first failure, try again as the retry policy allows (retryable errors only). */
async function retryAfter<T>(first: unknown, again: () => Promise<T>, options: ExecuteOptions): Promise<Retried<T>> {
  const policy = options.retry ?? NO_RETRY;
  const { signal } = options.ctx;
  let error = toNodeError(first);
  for (let attempt = 1; ; attempt++) {
    if (!error.retryable || attempt >= policy.maxAttempts || signal.aborted) return { ok: false, error, attempt };
    await sleep(retryDelay(policy, attempt, error), signal);
    try {
      return { ok: true, value: await again() };
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
  if (!options.errorPortConnected) throw new NodeFailure(nodeId, error, attempt);
  const described: ItemError = { message: error.message, code: error.code, node: nodeId, attempt };
  if (error.hint) described.hint = error.hint;
  if (error.details) described.details = error.details;
  (out[ERROR_PORT] ??= []).push({ error: described, item });
}

function route(out: PortItems, emit: ItemEmit) {
  if (!emit) return;
  for (const port in emit) {
    const value = emit[port];
    if (value === undefined) continue;
    const list = (out[port] ??= []);
    if (Array.isArray(value)) for (const v of value as Item[]) list.push(v);
    else list.push(value as Item);
  }
}
