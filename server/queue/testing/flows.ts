/** Flows the reliability tests run: a webhook, a tagging step, and a POST to the sink. */
export function sinkFlow(
  name: string,
  options: { path: string; sinkUrl: string; tag?: string; retry?: Record<string, unknown>; errorPort?: boolean; timeoutMs?: number },
) {
  const nodes: Record<string, unknown>[] = [
    { id: "in", type: "trigger.webhook", config: { path: options.path } },
    { id: "tag", type: "map.fields", config: { keepInput: true, fields: [{ target: "tag", expr: `'${options.tag ?? "v1"}'` }] } },
    { id: "out", type: "http.request", config: { method: "POST", url: options.sinkUrl, idempotencyKey: "auto", timeoutMs: 5_000 } },
  ];
  const edges: Record<string, unknown>[] = [
    { from: "in", to: "tag" },
    { from: "tag", to: "out" },
  ];
  if (options.errorPort) {
    nodes.push({ id: "fallback", type: "map.fields", config: { keepInput: true, fields: [] } });
    edges.push({ from: "out", fromPort: "error", to: "fallback" });
  }
  return {
    schemaVersion: 1,
    name,
    nodes,
    edges,
    settings: { retry: options.retry ?? { maxAttempts: 2, backoff: "fixed", baseMs: 20 }, ...(options.timeoutMs && { timeoutMs: options.timeoutMs }) },
  };
}
