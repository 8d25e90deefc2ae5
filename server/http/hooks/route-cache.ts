/**
 * The (method, path) → route answers of webhook_routes, kept in memory: the lookup (a join through
 * drizzle) cost more per request than parsing the body. Dropped whenever a flow changes in this
 * process (onFlowChanged) and whenever another connection committed (a `gate` CLI command
 * switching a flow on while the server runs), which `PRAGMA data_version` tells for the price of
 * one trivial statement. Unknown paths are remembered too, so a flood of 404s stays cheap.
 */
import type { Statement } from "better-sqlite3";
import type { GateDb } from "../../db/client";
import { onFlowChanged } from "../../db/flows";
import { findWebhookRoute, type WebhookRoute } from "../../db/routes";

const LIMIT = 10_000;

export class RouteCache {
  private readonly routes = new Map<string, WebhookRoute | null>();
  private readonly dataVersion: Statement;
  private seen: unknown;
  private checkedAt = performance.now();

  constructor(private readonly gdb: GateDb) {
    this.dataVersion = gdb.sqlite.prepare("PRAGMA data_version").pluck();
    this.seen = this.dataVersion.get();
    onFlowChanged(gdb, () => this.routes.clear());
  }

  find(method: string, path: string): WebhookRoute | undefined {
    // Another process's commit is looked for at most once a millisecond: even one trivial statement
    // per request shows under load, and a request a millisecond later would have seen it anyway.
    const now = performance.now();
    if (now - this.checkedAt >= 1) {
      this.checkedAt = now;
      const version = this.dataVersion.get();
      if (version !== this.seen) {
        this.seen = version;
        this.routes.clear();
      }
    }
    const key = `${method} ${path}`;
    let route = this.routes.get(key);
    if (route === undefined) {
      route = findWebhookRoute(this.gdb, method, path) ?? null;
      if (this.routes.size >= LIMIT) this.routes.clear();
      this.routes.set(key, route);
    }
    return route ?? undefined;
  }
}
