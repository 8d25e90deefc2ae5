import { createNodeContext, silentLogger } from "./context";
import { executeNode, prepareNode } from "./execute";
import type { NodeHost } from "./host";
import { MAIN_PORT } from "./ports";
import type { AnyNodeDefinition, Credential, Item, PortItems, RunMode, WebhookResponse } from "./types";

export interface RunNodeOptions {
  config?: unknown;
  /** Items of the `main` input. */
  items?: Item[];
  /** Items per input port, for nodes with several inputs. */
  inputs?: PortItems;
  credential?: Credential;
  mode?: RunMode;
  /** Defaults to true in test mode for nodes with side effects, as in a test run. */
  dryRun?: boolean;
  /** Route failed items to `error` (the default) or let the first failure throw. */
  errorPort?: boolean;
  signal?: AbortSignal;
  /** Network, state and files the node may use (default: offline, in-memory state). */
  host?: NodeHost;
}

export interface RunNodeResult {
  outputs: PortItems;
  /** How many batches a streaming node yielded (1 for ordinary nodes). */
  batches: number;
  response: WebhookResponse | undefined;
}

/**
 * Run one node the way the interpreter runs it: config parsed by its schema, expressions compiled,
 * per-item errors routed to the `error` port. For plugin authors' tests and our own.
 */
export async function runNode(def: AnyNodeDefinition, options: RunNodeOptions = {}): Promise<RunNodeResult> {
  const node = prepareNode("node", def, options.config ?? {});
  const mode = options.mode ?? "test";
  let response: WebhookResponse | undefined;
  const ctx = createNodeContext({
    nodeId: "node",
    mode,
    dryRun: options.dryRun ?? (mode === "test" && def.sideEffects === true),
    signal: options.signal ?? new AbortController().signal,
    log: silentLogger,
    bindings: { execution: { id: "test", mode }, flow: { name: "test" } },
    onRespond: (r) => (response ??= r),
    host: options.host,
  });
  const inputs = options.inputs ?? { [MAIN_PORT]: options.items ?? [] };
  const outcome = await executeNode(node, inputs, {
    ctx,
    credential: options.credential,
    errorPortConnected: options.errorPort ?? true,
  });
  if (outcome.kind === "batch") return { outputs: outcome.outputs, batches: 1, response };
  const outputs: PortItems = {};
  let batches = 0;
  for await (const batch of outcome.batches) {
    batches++;
    for (const [port, items] of Object.entries(batch)) (outputs[port] ??= []).push(...items);
  }
  return { outputs, batches, response };
}
