import type { ExpressionBindings, NodeContext, NodeLogger, RunMode, WebhookResponse } from "./types";

export interface ContextOptions {
  nodeId: string;
  mode: RunMode;
  dryRun: boolean;
  signal: AbortSignal;
  log: NodeLogger;
  bindings: ExpressionBindings;
  onRespond?: (response: WebhookResponse) => void;
}

export function createNodeContext(options: ContextOptions): NodeContext {
  const { bindings } = options;
  return {
    nodeId: options.nodeId,
    mode: options.mode,
    dryRun: options.dryRun,
    signal: options.signal,
    log: options.log,
    bindings,
    respond: (response) => options.onRespond?.(response),
    evaluate: (expr, item) => expr.evaluate(item, bindings),
  };
}

export const silentLogger: NodeLogger = { debug() {}, info() {}, warn() {}, error() {} };
