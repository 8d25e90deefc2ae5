import type { z } from "zod";
import type { FileStore, FlowState, HttpClient, OutboundGuard } from "./host";

/** One unit of data moving through a flow: a plain JSON object. */
export type Item = Record<string, unknown>;

/** Items per output (or input) port, e.g. `{ main: [...], error: [...] }`. */
export type PortItems = Record<string, Item[]>;

/**
 * What `runItem` returns for one item: the port(s) it goes to, e.g. `{ main: newItem }`; a port name
 * alone (`"true"`) sends the input item there unchanged (no allocation: filters and routers); `null`
 * drops the item.
 */
export type ItemEmit = Readonly<Record<string, Item | readonly Item[] | undefined>> | string | null | undefined;

export type MaybePromise<T> = T | Promise<T>;

export const NODE_CATEGORIES = [
  "trigger",
  "auth",
  "mapping",
  "transform",
  "logic",
  "source",
  "destination",
] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

/** The error object a failed item carries on an `error` port. */
export interface ItemError {
  message: string;
  code: string;
  node: string;
  attempt: number;
  hint?: string;
  details?: unknown[];
}

export interface NodeLogger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

/** The synchronous answer a `respond` node gives to the webhook caller. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Values every expression can read besides the item (`$`). */
export interface ExpressionBindings {
  execution: { id: string; mode: RunMode };
  flow: { name: string };
  /** The inbound request of a webhook-triggered run (headers already redacted). */
  request?: { method: string; path: string; query: Record<string, string>; headers: Record<string, string> };
  /**
   * The queued event a live run works on (webhook event, schedule tick, manual live run). The same
   * id comes back when the event is run again after a crash or replayed from the dead-letter queue,
   * so keys derived from it (Idempotency-Key "auto") stay the same; the execution id does not.
   */
  event?: { id: string };
  [name: string]: unknown;
}

export type RunMode = "test" | "live";

/** Everything a node may use at run time besides its items and config. */
export interface NodeContext {
  readonly nodeId: string;
  readonly mode: RunMode;
  /** True when a destination must not change an outside system but return what it would send. */
  readonly dryRun: boolean;
  readonly signal: AbortSignal;
  readonly log: NodeLogger;
  readonly bindings: ExpressionBindings;
  /** Answer the webhook caller (used by the `respond` node); the first answer wins. */
  respond(response: WebhookResponse): void;
  /** Evaluate a compiled expression against an item with this run's bindings. */
  evaluate(expr: CompiledExpression, item: unknown): MaybePromise<unknown>;
  /** Outbound HTTP through the SSRF guard. */
  readonly http: HttpClient;
  /** Check a host before connecting to it yourself (databases, mail). */
  readonly net: OutboundGuard;
  /** Durable per-flow state; `set` commits only when the run succeeds, `setNow` at once. */
  readonly state: FlowState;
  /** The files folder, confined. */
  readonly files: FileStore;
}

/** A JSONata expression compiled once per flow version. */
export interface CompiledExpression {
  readonly source: string;
  /** True when the expression runs on Gate's synchronous fast path instead of the jsonata library. */
  readonly fast: boolean;
  evaluate(input: unknown, bindings?: Record<string, unknown>): MaybePromise<unknown>;
}

export interface CredentialNeed {
  kinds: readonly string[];
  required: boolean;
}

/** A resolved credential as a node receives it. Never persisted or logged. */
export interface Credential {
  id: string;
  name: string;
  kind: string;
  data: Record<string, unknown>;
  /** After a rotation: the replaced secret, still accepted for inbound checks until `until`. */
  previous?: { data: Record<string, unknown>; until: string };
}

export interface PrepareArgs<C> {
  config: C;
  compile: (source: string) => CompiledExpression;
}

export interface RunItemArgs<C, P> {
  item: Item;
  config: C;
  prepared: P;
  credential: Credential | undefined;
  ctx: NodeContext;
}

export interface RunBatchArgs<C, P> {
  /** Items of the `main` input (or of every input, concatenated, for nodes with several). */
  items: Item[];
  /** Items per input port. */
  inputs: PortItems;
  config: C;
  prepared: P;
  credential: Credential | undefined;
  ctx: NodeContext;
  /** Resolve the config's `{kind:"expr"}` values against one item. */
  configFor(item: Item): Promise<C>;
}

export type BatchResult = PortItems | AsyncIterable<PortItems>;

/**
 * The inbound request as webhook ingress received it, before anything was parsed or stored. Only
 * the ingress has the raw bytes a signature is computed over, so checks that need them run there.
 */
export interface IngressRequest {
  method: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received. */
  rawBody: Uint8Array;
  /** Milliseconds since the epoch, for timestamp tolerances. */
  now: number;
}

export type IngressVerdict = { ok: true; secret?: "current" | "previous" } | { ok: false; reason: string };

/**
 * A check webhook ingress runs before it stores a request, for a node placed directly after a
 * webhook trigger (e.g. `auth.verifySignature`). A refusal is answered 401 and starts no run.
 */
export interface IngressHook<C> {
  // Method syntax on purpose (as `prepare`): the registry holds every node as AnyNodeDefinition.
  verify(args: { config: C; credential: Credential | undefined; request: IngressRequest }): IngressVerdict;
  /** Headers this check reads that carry secrets or signatures: redacted in logs and records. */
  secretHeaders?(config: C): readonly string[];
}

interface DefinitionBase<S extends z.ZodType<Record<string, unknown>>, P> {
  type: string;
  version: number;
  category: NodeCategory;
  title: string;
  description: string;
  config: S;
  credential?: CredentialNeed;
  /** Defaults: input `main` (none for triggers), output `main`; `error` is always added. */
  ports?: { inputs?: readonly string[]; outputs?: readonly string[] | ((config: z.output<S>) => readonly string[]) };
  /** Only for triggers: may a flow hold more than one of this trigger? (default: no) */
  multiple?: boolean;
  /** The node changes an outside system: in test runs it runs as a dry run. */
  sideEffects?: boolean;
  // Method syntax on purpose: it lets the registry hold every node as AnyNodeDefinition.
  prepare?(args: PrepareArgs<z.output<S>>): P;
  /** A check webhook ingress runs on the raw request before storing it (see IngressHook). */
  ingress?: IngressHook<z.output<S>>;
  /**
   * "Test connection" for the credential kinds this node uses: connect and do the cheapest thing
   * that proves the credential works; throw a NodeError (with the node's usual codes) when it does not.
   */
  checkCredential?(args: { credential: Credential; ctx: NodeContext }): Promise<void>;
}

export interface ItemNodeDefinition<S extends z.ZodType<Record<string, unknown>>, P>
  extends DefinitionBase<S, P> {
  /** Handle one item; thrown errors route that item to the `error` port. */
  runItem(args: RunItemArgs<z.output<S>, P>): MaybePromise<ItemEmit>;
  run?: never;
}

export interface BatchNodeDefinition<S extends z.ZodType<Record<string, unknown>>, P>
  extends DefinitionBase<S, P> {
  /** Handle a whole batch; a source returns an async iterable of batches. */
  run(args: RunBatchArgs<z.output<S>, P>): MaybePromise<BatchResult>;
  runItem?: never;
}

export type NodeDefinition<S extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>, P = unknown> =
  | ItemNodeDefinition<S, P>
  | BatchNodeDefinition<S, P>;

/** A node definition with erased generics, as the registry and engine hold it. */
export type AnyNodeDefinition = NodeDefinition<z.ZodType<Record<string, unknown>>, unknown>;
