import {
  HTTP_AUTH_KINDS,
  NodeError,
  connectionLimiter,
  credentialRef,
  decodeBody,
  defineNode,
  deliveryFor,
  encodeBody,
  exprable,
  expression,
  httpStatusError,
  redactHeaders,
  redactUrl,
  requestAuth,
  z,
  type CompiledExpression,
  type Credential,
  type HttpResponse,
  type Item,
  type NodeContext,
  type Page,
  type RequestAuth,
  paginate,
} from "../sdk";

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const pageCommon = {
  maxPages: z.number().int().min(1).max(1000).default(10).meta({ title: "Page limit", description: "Stop after this many pages" }),
};

const Pagination = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("none") }).strict(),
    z.object({ mode: z.literal("linkHeader"), ...pageCommon }).strict().meta({ title: "Next link (Link header, rel=next)" }),
    z
      .object({
        mode: z.literal("cursor"),
        cursorPath: expression().meta({ title: "Cursor in the response", description: "JSONata path to the next cursor, e.g. meta.next_cursor" }),
        param: z.string().min(1).meta({ title: "Query parameter", description: "Where the cursor is sent, e.g. cursor" }),
        ...pageCommon,
      })
      .strict(),
    z
      .object({
        mode: z.literal("page"),
        param: z.string().min(1).default("page").meta({ title: "Query parameter" }),
        start: z.number().int().min(0).default(1).meta({ title: "First page number" }),
        ...pageCommon,
      })
      .strict()
      .meta({ description: "Counts pages up until one comes back empty" }),
  ])
  .default({ mode: "none" });

export const HttpRequestConfig = z
  .object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).default("GET").meta({ title: "Method" }),
    url: exprable(z.string().min(1)).meta({ title: "URL", description: "https://… — may be an expression over the item" }),
    query: z.record(z.string(), exprable(z.union([Scalar, z.array(Scalar)]))).default({}).meta({ title: "Query parameters" }),
    headers: z.record(z.string(), exprable(z.string())).default({}).meta({ title: "Headers" }),
    bodyMode: z
      .enum(["auto", "json", "form", "multipart", "raw", "none"])
      .default("auto")
      .meta({ title: "Body", description: "auto: the item as JSON for POST/PUT/PATCH, no body otherwise" }),
    body: exprable(z.unknown()).optional().meta({ title: "Body value", description: "Default: the item itself" }),
    contentType: z.string().min(1).optional().meta({ title: "Content type (raw body)" }),
    credential: credentialRef().optional(),
    idempotencyKey: exprable(z.string().min(1).max(255))
      .optional()
      .meta({ title: "Idempotency-Key", description: '"auto" derives a key that is stable across retries, or an expression' }),
    timeoutMs: z.number().int().min(100).max(300_000).default(30_000).meta({ title: "Timeout (ms)" }),
    maxRedirects: z.number().int().min(0).max(20).default(5).meta({ title: "Redirects followed" }),
    maxResponseBytes: z.number().int().min(1).max(256 * 1024 * 1024).default(16 * 1024 * 1024).meta({ title: "Largest response (bytes)" }),
    responseFormat: z.enum(["auto", "json", "text", "binary"]).default("auto").meta({ title: "Response format" }),
    itemsPath: expression().optional().meta({ title: "Records in the response", description: "JSONata path to a list; each entry becomes an item" }),
    output: z.enum(["merge", "replace"]).default("merge").meta({ title: "Output", description: "merge: add the response to the item; replace: the response is the item" }),
    outputKey: z.string().min(1).default("response").meta({ title: "Output field" }),
    fullResponse: z.boolean().default(false).meta({ title: "Include status and headers" }),
    failOnError: z.boolean().default(true).meta({ title: "Fail on non-2xx", description: "Off: the response is output whatever its status" }),
    pagination: Pagination.meta({ title: "Pagination" }),
    rateLimit: z
      .object({
        per: z.enum(["host", "credential"]).default("host"),
        maxConcurrent: z.number().int().min(1).max(1000).optional().meta({ title: "Requests at once" }),
        perSecond: z.number().positive().max(10_000).optional().meta({ title: "Requests per second" }),
      })
      .strict()
      .optional()
      .meta({ title: "Rate limit", description: "Shared by every run of this Gate process" }),
    testRuns: z
      .enum(["sendReads", "dryRunAll"])
      .default("sendReads")
      .meta({ title: "In test runs", description: "sendReads: GET/HEAD/OPTIONS are sent, other methods only shown; dryRunAll: nothing is sent" }),
  })
  .strict();
export type HttpRequestConfig = z.infer<typeof HttpRequestConfig>;

interface Prepared {
  itemsPath: CompiledExpression | undefined;
  cursorPath: CompiledExpression | undefined;
}

export default defineNode({
  type: "http.request",
  version: 1,
  category: "destination",
  title: "HTTP request",
  description: "Calls an HTTP API for each item: any method, auth from a credential, pagination, rate limits. Reads run in test runs; writes are shown, not sent.",
  config: HttpRequestConfig,
  credential: { kinds: HTTP_AUTH_KINDS, required: false },
  sideEffects: true,
  prepare: ({ config, compile }): Prepared => ({
    itemsPath: config.itemsPath ? compile(config.itemsPath) : undefined,
    cursorPath: config.pagination.mode === "cursor" ? compile(config.pagination.cursorPath) : undefined,
  }),
  async runItem({ item, config, prepared, credential, ctx }) {
    const method = config.method;
    const url = buildUrl(config.url, config.query);
    const headers = buildHeaders(config.headers);
    const mode = config.bodyMode === "auto" ? (["POST", "PUT", "PATCH"].includes(method) ? "json" : "none") : config.bodyMode;
    const encoded = encodeBody(mode, config.body === undefined ? item : config.body, config.contentType);
    if (encoded.contentType && !headers["content-type"]) headers["content-type"] = encoded.contentType;
    headers.accept ??= "application/json, text/plain;q=0.9, */*;q=0.8";
    const idempotencyKey = config.idempotencyKey === undefined ? undefined : text(config.idempotencyKey, "idempotencyKey");
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey === "auto" ? deliveryFor(ctx, item, "").id : idempotencyKey;

    const dryRun = ctx.dryRun && (config.testRuns === "dryRunAll" || !SAFE_METHODS.has(method));
    if (dryRun) return { main: { wouldSend: dryRunRequest(method, url, headers, encoded.preview, credential) } };

    let auth = await requestAuth(credential, { http: ctx.http, signal: ctx.signal });
    const send = async (pageUrl: URL): Promise<HttpResponse> => {
      let res = await limited(config, credential, pageUrl, ctx, () => call(pageUrl, auth));
      if (res.status === 401 && auth.renew) {
        auth = await auth.renew();
        res = await limited(config, credential, pageUrl, ctx, () => call(pageUrl, auth));
      }
      if (config.failOnError && (res.status < 200 || res.status >= 300))
        throw httpStatusError(res, { method, url: pageUrl.href, secrets: auth.secrets, credentialName: credential?.name });
      return res;
    };
    const call = (pageUrl: URL, a: RequestAuth) =>
      ctx.http.request({
        url: withQuery(pageUrl, a.query).href,
        method,
        headers: { ...headers, ...a.headers },
        body: encoded.body,
        timeoutMs: config.timeoutMs,
        maxRedirects: config.maxRedirects,
        maxBodyBytes: config.maxResponseBytes,
        ...(a.tls ? { tls: a.tls } : {}),
        ...(a.requireTls ? { requireTls: true } : {}),
        signal: ctx.signal,
      });

    const out: Item[] = [];
    const pages = paginate(config.pagination, url, {
      send,
      decode: (res) => decodeBody(res.body, res.headers["content-type"], config.responseFormat),
      records: (body) => records(body, prepared.itemsPath, ctx),
      cursor: async (body) => (prepared.cursorPath ? await ctx.evaluate(prepared.cursorPath, body) : undefined),
      // Gate does not carry a credential to another host a next-page link points to.
      sameOriginOnly: credential !== undefined,
      log: ctx.log,
    });
    for await (const page of pages) for (const emitted of shape(page, item, config)) out.push(emitted);
    return { main: out };
  },
});

function buildUrl(raw: unknown, query: HttpRequestConfig["query"]): URL {
  if (typeof raw !== "string" || raw.trim() === "")
    throw new NodeError(`the URL is ${raw === undefined || raw === null ? "empty" : `not text (${typeof raw})`}`, {
      code: "URL_INVALID",
      hint: "set the URL, or check that its expression returns text",
    });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new NodeError(`"${raw.slice(0, 200)}" is not a valid URL`, { code: "URL_INVALID", hint: "a URL starts with https:// followed by a host name" });
  }
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    url.searchParams.delete(name);
    for (const one of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof one !== "string" && typeof one !== "number" && typeof one !== "boolean")
        throw new NodeError(`query parameter "${name}" must be text, a number or a list of them, but its expression returned ${one === null ? "null" : typeof one}`, {
          code: "QUERY_INVALID",
          hint: `check the expression of query parameter "${name}"`,
        });
      url.searchParams.append(name, String(one));
    }
  }
  return url;
}

/** An exprable text field after resolution: its expression may have returned anything. */
function text(value: unknown, field: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw new NodeError(`${field} must be text, but its expression returned ${value === null || value === undefined ? "nothing" : typeof value}`, {
    code: "CONFIG_VALUE",
    hint: `check the expression of ${field}`,
  });
}

function withQuery(url: URL, extra: Record<string, string>): URL {
  if (Object.keys(extra).length === 0) return url;
  const copy = new URL(url);
  for (const [name, value] of Object.entries(extra)) copy.searchParams.set(name, value);
  return copy;
}

function buildHeaders(configured: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(configured)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
      throw new NodeError(`header "${name}" must be text, but its expression returned ${Array.isArray(value) ? "a list" : typeof value}`, {
        code: "HEADER_INVALID",
        hint: `check the expression of header "${name}"`,
      });
    if (/[\r\n]/.test(String(value)))
      throw new NodeError(`header "${name}" contains a line break`, { code: "HEADER_INVALID", hint: "remove line breaks from header values" });
    headers[name.toLowerCase()] = String(value);
  }
  return headers;
}

function dryRunRequest(method: string, url: URL, headers: Record<string, string>, body: unknown, credential: Credential | undefined) {
  const shown = { ...headers };
  const shownUrl = new URL(url);
  // Show where the credential goes without fetching tokens or revealing values.
  if (credential?.kind === "apiKey") {
    const data = credential.data as { in?: string; name?: string };
    if (data.in === "query") shownUrl.searchParams.set(data.name ?? "key", "[redacted]");
    else shown[(data.name ?? "X-API-Key").toLowerCase()] = "[redacted]";
  } else if (credential && credential.kind !== "clientCertificate") shown.authorization = "[redacted]";
  const secrets = Object.values(credential?.data ?? {}).filter((v): v is string => typeof v === "string" && v.length > 0);
  return {
    method,
    url: redactUrl(shownUrl.href, secrets),
    headers: redactHeaders(shown, secrets),
    body,
    ...(credential?.kind === "clientCertificate" ? { clientCertificate: credential.name } : {}),
  };
}

async function limited<T>(config: HttpRequestConfig, credential: Credential | undefined, url: URL, ctx: NodeContext, fn: () => Promise<T>): Promise<T> {
  const limits = config.rateLimit;
  if (!limits || (!limits.maxConcurrent && !limits.perSecond)) return fn();
  const key = limits.per === "credential" && credential ? `credential:${credential.id}` : `host:${url.host}`;
  const release = await connectionLimiter.acquire(key, limits, ctx.signal);
  try {
    return await fn();
  } finally {
    release();
  }
}

async function records(body: unknown, itemsPath: CompiledExpression | undefined, ctx: NodeContext): Promise<unknown[] | undefined> {
  if (!itemsPath) return Array.isArray(body) ? body : undefined;
  const found = await ctx.evaluate(itemsPath, body);
  if (found === undefined || found === null) return [];
  return Array.isArray(found) ? [...(found as unknown[])] : [found];
}

/** Items for one page: per record (itemsPath) or for the whole response, merged or replacing. */
function shape(page: Page, item: Item, config: HttpRequestConfig): Item[] {
  const key = config.outputKey;
  const wrap = (value: unknown): Item[] => {
    if (config.output === "merge") return [{ ...item, [key]: value }];
    if (isObject(value)) return [value];
    if (Array.isArray(value) && value.every(isObject)) return value;
    return [{ [key]: value }];
  };
  const full = (body: unknown) => ({ status: page.response.status, headers: page.response.headers, url: page.response.url, body });
  if (page.records && (config.itemsPath || config.output === "replace"))
    return page.records.flatMap((r) => wrap(config.fullResponse ? full(r) : r));
  return wrap(config.fullResponse ? full(page.body) : page.body);
}

function isObject(value: unknown): value is Item {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
