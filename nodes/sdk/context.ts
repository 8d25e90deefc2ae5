import { offlineHost, type NodeHost } from "./host";
import type { ExpressionBindings, NodeContext, NodeLogger, RunMode, WebhookResponse } from "./types";

export interface ContextOptions {
  nodeId: string;
  mode: RunMode;
  dryRun: boolean;
  signal: AbortSignal;
  log: NodeLogger;
  bindings: ExpressionBindings;
  onRespond?: (response: WebhookResponse) => void;
  /** Network, state and files; defaults to an offline host. */
  host?: NodeHost;
}

export function createNodeContext(options: ContextOptions): NodeContext {
  const { bindings } = options;
  const host = options.host ?? offlineHost();
  return {
    nodeId: options.nodeId,
    mode: options.mode,
    dryRun: options.dryRun,
    signal: options.signal,
    log: options.log,
    bindings,
    respond: (response) => options.onRespond?.(response),
    evaluate: (expr, item) => expr.evaluate(item, bindings),
    http: host.http,
    net: host.net,
    state: host.state,
    files: host.files,
  };
}

export const silentLogger: NodeLogger = { debug() {}, info() {}, warn() {}, error() {} };
