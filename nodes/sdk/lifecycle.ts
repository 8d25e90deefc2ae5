/**
 * Resources a node family keeps between runs (connection pools, worker processes) are released when
 * Gate stops. A node module registers its cleanup once, at load; the server calls `shutdownNodes()`
 * on shutdown, so it never needs to know which node holds what.
 */
const hooks = new Set<() => unknown>();

export function onShutdown(cleanup: () => unknown): void {
  hooks.add(cleanup);
}

/** Run every cleanup; one failing does not stop the others. */
export async function shutdownNodes(): Promise<void> {
  await Promise.allSettled([...hooks].map((cleanup) => Promise.resolve().then(cleanup)));
}
