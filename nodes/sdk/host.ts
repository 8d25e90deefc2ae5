import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { NodeError } from "./errors";

/**
 * What the host (Gate's server, or the test harness) lends a node besides its items: outbound
 * network access through the SSRF guard, durable per-flow state, and the confined files folder.
 * Nodes never open sockets or paths on their own, so the security rules live in one place.
 */
export interface NodeHost {
  readonly http: HttpClient;
  readonly net: OutboundGuard;
  readonly state: FlowState;
  readonly files: FileStore;
}

/** Outbound HTTP. Every request and every redirect passes the SSRF guard. */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | FormData | null;
  /** Whole request, including reading the body (default 30 s). */
  timeoutMs?: number;
  /** Redirects followed, each re-checked by the guard (default 5; 0 = never follow). */
  maxRedirects?: number;
  /** Client certificate (mTLS) and extra CA, PEM. */
  tls?: { cert?: string; key?: string; ca?: string; passphrase?: string };
  /** Refuse plain http:// for this request and its redirects (a credential that demands TLS). */
  requireTls?: boolean;
  /** Largest response body read, in bytes (default 16 MiB). */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The final URL after redirects. */
  url: string;
  body: Uint8Array;
}

/** Checks a host before a node connects to it (databases, mail servers). */
export interface OutboundGuard {
  /** Resolve `host` and return the address to connect to; throws NodeError `OUTBOUND_BLOCKED` when refused. */
  resolve(host: string, port: number): Promise<string>;
}

/**
 * Durable key/value state of one flow (cursors, watermarks, seen keys). `set` is staged and
 * committed only when the run that made it succeeds, so a failed run never advances a cursor.
 */
export interface FlowState {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): void;
  /**
   * Write now and keep it whatever becomes of the run (failed, cancelled, the process killed
   * after the promise settles). For what a run learns *by* failing — a receiver that answered
   * 410 Gone — never for progress, which belongs to `set`. Replaces a value staged for `key`.
   */
  setNow(key: string, value: unknown): Promise<void>;
}

/** The files folder; every path a node uses is relative to it and confined to it. */
export interface FileStore {
  readonly root: string;
  /** The absolute path for `relative`; throws NodeError `PATH_OUTSIDE_FILES` for traversal. */
  resolve(relative: string): string;
  /**
   * `resolve`, and then the real location of what exists of the path (the file, or its nearest
   * existing folder) must be inside the folder too: a symbolic link cannot lead out. Use it before
   * touching the disk.
   */
  resolveReal(relative: string): Promise<string>;
}

export function confinedFiles(root: string): FileStore {
  const base = path.resolve(root);
  const outside = (relative: string, how: string) =>
    new NodeError(`file path "${relative}" points outside the files folder${how}`, {
      code: "PATH_OUTSIDE_FILES",
      hint: `use a path relative to the files folder (${base}), without ".." or a leading "/"`,
    });
  const store: FileStore = {
    root: base,
    async resolveReal(relative) {
      const full = store.resolve(relative);
      let existing = full;
      while (!(await exists(existing))) {
        // Nothing of the path exists inside the folder (the folder itself may not exist yet):
        // no link can lead out of it.
        if (existing === base) return full;
        existing = path.dirname(existing);
      }
      const [real, realRoot] = await Promise.all([realpath(existing), realpath(base).catch(() => base)]);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw outside(relative, " (through a link)");
      return full;
    },
    resolve(relative) {
      if (typeof relative !== "string" || relative.length === 0 || relative.includes("\0"))
        throw new NodeError("file path is empty or invalid", { code: "PATH_INVALID" });
      const full = path.resolve(base, relative);
      if (full !== base && !full.startsWith(base + path.sep)) throw outside(relative, "");
      return full;
    },
  };
  return store;
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return false;
    throw error;
  }
}

/** State whose writes wait for the run's outcome: `commit` on success, `discard` otherwise. */
export interface StagedState extends FlowState {
  commit(): void;
  discard(): void;
}

/** Staged state kept in memory, with the committed values visible for tests. */
export interface MemoryState extends StagedState {
  readonly committed: Map<string, unknown>;
}

export function memoryState(initial: Record<string, unknown> = {}): MemoryState {
  const committed = new Map(Object.entries(initial));
  let staged = new Map<string, unknown>();
  return {
    committed,
    get: (key) => Promise.resolve(staged.has(key) ? staged.get(key) : committed.get(key)),
    set: (key, value) => void staged.set(key, structuredClone(value)),
    // A promise executor turns a throw (a value structuredClone refuses) into a rejection.
    setNow: (key, value) =>
      new Promise<void>((resolve) => {
        committed.set(key, structuredClone(value));
        staged.delete(key);
        resolve();
      }),
    commit() {
      for (const [k, v] of staged) committed.set(k, v);
      staged = new Map();
    },
    discard() {
      staged = new Map();
    },
  };
}

/** A host that refuses all network access: the default until a node's test supplies one. */
export function offlineHost(options: { filesDir?: string; state?: FlowState } = {}): NodeHost {
  const refuse = () => Promise.reject(new NodeError("no network access in this context", { code: "OUTBOUND_BLOCKED" }));
  return {
    http: { request: refuse },
    net: { resolve: refuse },
    state: options.state ?? memoryState(),
    files: confinedFiles(options.filesDir ?? path.join(process.cwd(), "data", "files")),
  };
}
