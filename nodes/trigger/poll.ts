import {
  NodeError,
  credentialData,
  credentialRef,
  defineNode,
  expression,
  z,
  type CompiledExpression,
  type Credential,
  type HttpResponse,
  type Item,
  type NodeContext,
} from "../sdk";
import { cronField, timeZoneField } from "./timing";

/**
 * How many dedupe keys a poll trigger remembers by default. Enough for an API that returns a few
 * thousand recent records per page; keys the API keeps returning stay remembered (see `remember`).
 */
export const DEFAULT_MAX_SEEN = 10_000;

const Config = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: "enter an http:// or https:// URL" })
      .meta({ title: "URL", description: "The endpoint polled on every tick" }),
    method: z.enum(["GET", "POST"]).default("GET").meta({ title: "HTTP method" }),
    headers: z.record(z.string(), z.string()).default({}).meta({ title: "Headers", description: "Secrets belong in a credential, not here" }),
    body: z.json().optional().meta({ title: "Body", description: "JSON sent with a POST (a search query, say)" }),
    credential: credentialRef().optional(),
    itemsPath: expression()
      .optional()
      .meta({ title: "Items", description: "JSONata into the response for the list of items, e.g. `data.results`; empty: the response itself" }),
    dedupeKey: expression().meta({ title: "Dedupe key", description: "JSONata per item giving its unique key, e.g. `id`" }),
    interval: z
      .union([z.number().int().min(1).max(86_400), cronField()])
      .default(60)
      .meta({ title: "Interval", description: "Seconds between polls, or a cron pattern with seconds (`0 */5 * * * *`)" }),
    timezone: timeZoneField(),
    maxSeen: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(DEFAULT_MAX_SEEN)
      .meta({ title: "Keys remembered", description: "The most recent keys kept to recognise items already emitted" }),
    timeoutMs: z.number().int().min(100).max(300_000).default(30_000).meta({ title: "Timeout (ms)" }),
  })
  .strict();
type Config = z.output<typeof Config>;

interface Prepared {
  items: CompiledExpression | undefined;
  key: CompiledExpression;
}

export default defineNode({
  type: "trigger.poll",
  version: 1,
  category: "trigger",
  title: "Poll HTTP",
  description:
    "Fetches a URL on an interval and starts the flow with the items not seen before (recognised by a dedupe key). A failed run forgets nothing: its items come again next time. To poll a database, use a Schedule trigger followed by a database read.",
  config: Config,
  credential: { kinds: ["bearer", "basic", "apiKey"], required: false },
  prepare: ({ config, compile }): Prepared => ({
    items: config.itemsPath === undefined ? undefined : compile(config.itemsPath),
    key: compile(config.dedupeKey),
  }),
  async run({ config, prepared, credential, ctx }) {
    const response = await fetchPage(config, credential, ctx);
    const items = await itemsOf(parseJson(response, config.url), prepared.items, ctx);
    const keyed = await Promise.all(items.map(async (item, index) => ({ item, key: keyOf(await ctx.evaluate(prepared.key, item), index, config.dedupeKey) })));
    const stateKey = `${ctx.nodeId}:seen`;
    const seen = new Set(asKeys(await ctx.state.get(stateKey)));
    const fresh: Item[] = [];
    const freshKeys = new Set<string>();
    for (const { item, key } of keyed) {
      if (seen.has(key) || freshKeys.has(key)) continue;
      freshKeys.add(key);
      fresh.push(item);
    }
    // Staged: the host commits it only if the whole run succeeds, so a failed run re-emits these items.
    if (freshKeys.size) ctx.state.set(stateKey, remember([...seen], keyed.map((k) => k.key), config.maxSeen));
    return { main: fresh };
  },
});

async function fetchPage(config: Config, credential: Credential | undefined, ctx: NodeContext): Promise<HttpResponse> {
  const url = new URL(config.url);
  const headers: Record<string, string> = { accept: "application/json", ...config.headers };
  if (credential) applyAuth(credential, url, headers);
  let body: string | undefined;
  if (config.method === "POST" && config.body !== undefined) {
    body = JSON.stringify(config.body);
    headers["content-type"] ??= "application/json";
  }
  let response: HttpResponse;
  try {
    response = await ctx.http.request({ url: url.href, method: config.method, headers, body, timeoutMs: config.timeoutMs, signal: ctx.signal });
  } catch (error) {
    if (error instanceof NodeError) throw error;
    throw new NodeError(`polling ${config.url} failed: ${(error as Error).message}`, { code: "POLL_NETWORK", retryable: true, cause: error });
  }
  if (response.status >= 200 && response.status < 300) return response;
  const retryable = response.status >= 500 || response.status === 429;
  throw new NodeError(`polling ${config.url} answered HTTP ${response.status}`, {
    code: "POLL_HTTP_STATUS",
    retryable,
    hint: response.status === 401 || response.status === 403 ? "check the credential" : retryable ? "the server may be busy; the next poll tries again" : "check the URL and method",
    details: [{ status: response.status, body: new TextDecoder().decode(response.body.subarray(0, 500)) }],
  });
}

function applyAuth(credential: Credential, url: URL, headers: Record<string, string>): void {
  switch (credential.kind) {
    case "bearer":
      headers.authorization = `Bearer ${credentialData("bearer", credential).token}`;
      return;
    case "basic": {
      const { username, password } = credentialData("basic", credential);
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
      return;
    }
    case "apiKey": {
      const data = credentialData("apiKey", credential);
      if (data.in === "query") url.searchParams.set(data.name, data.key);
      else headers[data.name.toLowerCase()] = data.key;
      return;
    }
    default:
      throw new NodeError(`credential "${credential.name}" is of kind ${credential.kind}; polling uses bearer, basic or apiKey`, {
        code: "CREDENTIAL_KIND",
        hint: "pick a bearer token, basic or API key credential",
      });
  }
}

function parseJson(response: HttpResponse, url: string): unknown {
  const text = new TextDecoder().decode(response.body);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new NodeError(`polling ${url} did not return JSON`, {
      code: "POLL_NOT_JSON",
      hint: "the endpoint must answer with a JSON document",
      details: [{ contentType: response.headers["content-type"], start: text.slice(0, 200) }],
    });
  }
}

async function itemsOf(document: unknown, path: CompiledExpression | undefined, ctx: NodeContext): Promise<Item[]> {
  const found = path ? await ctx.evaluate(path, document) : document;
  if (found === undefined || found === null) return [];
  // JSONata turns a one-element sequence into the element itself, so a lone object is a list of one.
  const list = Array.isArray(found) ? (found as unknown[]) : [found];
  return list.map((value) => (isRecord(value) ? value : { value }));
}

function keyOf(value: unknown, index: number, source: string): string {
  if (value === undefined || value === null || value === "")
    throw new NodeError(`item ${index} has no dedupe key (\`${source}\` gave nothing)`, {
      code: "POLL_NO_KEY",
      hint: "the dedupe key must name a field every item has, e.g. `id`",
    });
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The keys to keep: those of the current response last (most recent), then the older ones, at most
 * `max`. Keys the API still returns are never the ones dropped, so an item is not emitted twice
 * while the API keeps listing it, as long as a response holds fewer than `max` items.
 */
export function remember(seen: readonly string[], current: readonly string[], max: number): string[] {
  const currentSet = new Set(current);
  const kept = seen.filter((k) => !currentSet.has(k));
  return [...kept, ...currentSet].slice(-max);
}

function asKeys(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((k): k is string => typeof k === "string") : [];
}

function isRecord(value: unknown): value is Item {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
