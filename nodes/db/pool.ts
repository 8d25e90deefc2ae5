import { createHash } from "node:crypto";
import { onShutdown } from "../sdk";
import type { Database } from "./dialects/types";

/**
 * Connections are opened once per credential and shared by every run. The cache key is the
 * credential id; a fingerprint of everything the pool was built from (secret data and the address
 * the guard approved) decides whether the pool is still current. After a password rotation the
 * fingerprint differs: a new pool is built and the old one closed.
 */
interface Entry {
  fingerprint: string;
  db: Database;
}

const pools = new Map<string, Entry>();

export function fingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** The pool for `credentialId` built from `print`, opening it (and retiring a stale one) when needed. */
export function pooled(credentialId: string, print: string, open: () => Database): Database {
  const current = pools.get(credentialId);
  if (current?.fingerprint === print) return current.db;
  const db = open();
  pools.set(credentialId, { fingerprint: print, db });
  // Runs still holding a connection of the old pool finish on it; it closes when they release.
  if (current) void current.db.close().catch(() => undefined);
  return db;
}

/** The pool currently cached for a credential, if any (for tests and health views). */
export function cachedPool(credentialId: string): Database | undefined {
  return pools.get(credentialId)?.db;
}

/** Close every pool: at shutdown, and after tests. Safe to call twice. */
export async function closeAllPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((entry) => entry.db.close()));
}

onShutdown(closeAllPools);
