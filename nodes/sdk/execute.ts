import { ConfigExpressions, parseConfig } from "./config";
import { compileExpression } from "./expr";
import { toNodeError, type NodeError } from "./errors";
import { ERROR_PORT } from "./ports";
import { NO_RETRY, retryDelay, sleep, type RetryPolicy } from "./retry";
import type {
  AnyNodeDefinition,
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
  return ports.flatMap((p) => inputs[p]!);
}

async function runEachItem(node: PreparedNode, items: Item[], options: ExecuteOptions): Promise<PortItems> {
  const { def, prepared } = node;
  const { ctx, credential } = options;
  const out: PortItems = {};
  const policy = options.retry ?? NO_RETRY;
  for (const item of items) {
    let attempt = 1;
    for (;;) {
      try {
        const config = node.expressions.empty ? node.config : await node.expressions.resolve(node.config, item, ctx);
        let emit = def.runItem!({ item, config, prepared, credential, ctx });
        if (emit instanceof Promise) emit = await emit;
        route(out, emit);
        break;
      } catch (thrown) {
        const error = toNodeError(thrown);
        if (error.retryable && attempt < policy.maxAttempts && !ctx.signal.aborted) {
          await sleep(retryDelay(policy, attempt, error), ctx.signal);
          attempt++;
          continue;
        }
        failItem(node.id, out, item, error, attempt, options);
        break;
      }
    }
  }
  return out;
}

async function runBatch(node: PreparedNode, inputs: PortItems, options: ExecuteOptions): Promise<NodeOutcome> {
  const { ctx, credential } = options;
  const items = concatInputs(inputs);
  const configFor = (item: Item) => node.expressions.resolve(node.config, item, ctx);
  const policy = options.retry ?? NO_RETRY;
  let attempt = 1;
  for (;;) {
    try {
      const config = node.expressions.empty ? node.config : await configFor(items[0] ?? {});
      const result = await node.def.run!({ items, inputs, config, prepared: node.prepared, credential, ctx, configFor });
      if (Symbol.asyncIterator in result) return { kind: "stream", batches: guardStream(node.id, result, attempt) };
      return { kind: "batch", outputs: result };
    } catch (thrown) {
      const error = toNodeError(thrown);
      if (error.retryable && attempt < policy.maxAttempts && !ctx.signal.aborted) {
        await sleep(retryDelay(policy, attempt, error), ctx.signal);
        attempt++;
        continue;
      }
      const out: PortItems = {};
      for (const item of items.length ? items : [{}]) failItem(node.id, out, item, error, attempt, options);
      return { kind: "batch", outputs: out };
    }
  }
}

async function* guardStream(nodeId: string, batches: AsyncIterable<PortItems>, attempt: number): AsyncIterable<PortItems> {
  try {
    yield* batches;
  } catch (thrown) {
    throw new NodeFailure(nodeId, toNodeError(thrown), attempt);
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
