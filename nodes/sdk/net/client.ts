import { Agent, request as undiciRequest, type Dispatcher } from "undici";
import { NodeError } from "../errors";
import type { HttpClient, HttpRequest, HttpResponse } from "../host";
import { breakerFor } from "../breaker";
import { abortError } from "../retry";
import { ALLOW_HINT, type AddressGuard } from "./guard";
import { guardedConnector } from "./connector";
import { netError } from "./net-errors";
import { TlsAgents } from "./tls-agents";
import { redirectTarget } from "./redirects";

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const USER_AGENT = "Gate/0.1 (+https://github.com/gate)";

export interface GuardedClientOptions {
  guard: AddressGuard;
  /** Refuse plain `http:` URLs except to allowlisted hosts. */
  requireTls?: boolean;
  isAllowlisted: (hostname: string, port: number) => boolean;
}

/**
 * The HttpClient nodes get: every request and every redirect hop goes through the guard (inside
 * the connector, so the address checked is the address connected to). Redirects are followed here,
 * not by undici's interceptor, so each Location is re-checked and credentials are not carried to
 * another origin.
 */
export class GuardedHttpClient implements HttpClient {
  private readonly plain: Agent;
  private readonly tlsAgents: TlsAgents;

  constructor(private readonly options: GuardedClientOptions) {
    this.plain = new Agent({ connect: guardedConnector(options.guard) });
    this.tlsAgents = new TlsAgents(options.guard);
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const maxRedirects = req.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const dispatcher = req.tls && (req.tls.cert || req.tls.key || req.tls.ca) ? this.tlsAgents.get(req.tls) : this.plain;

    let url = this.checkUrl(req.url, undefined, req.requireTls);
    let method = (req.method ?? "GET").toUpperCase();
    let headers = withDefaults(req.headers ?? {});
    let body = await encodeBody(req.body ?? null, headers);
    for (let hop = 0; ; hop++) {
      const response = await guarded(url, () => this.once({ url, method, headers, body, dispatcher, signal, timeout, timeoutMs, maxBody: req.maxBodyBytes }));
      const next = redirectTarget(response, { method, url });
      if (!next) return response;
      if (hop >= maxRedirects) {
        if (maxRedirects === 0) return response;
        throw new NodeError(`${url.host} redirected more than ${maxRedirects} times`, {
          code: "TOO_MANY_REDIRECTS",
          hint: "check the URL; the server may be redirecting in a loop",
        });
      }
      const target = this.checkUrl(next.url.href, url, req.requireTls);
      if (target.origin !== url.origin) headers = dropCredentials(headers);
      if (next.method !== method) {
        body = null;
        headers = withoutBodyHeaders(headers);
      }
      url = target;
      method = next.method;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.plain.close(), this.tlsAgents.close()]);
  }

  private checkUrl(raw: string, from?: URL, requireTls = false): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new NodeError(`"${raw.slice(0, 200)}" is not a valid URL${from ? ` (redirect from ${from.host})` : ""}`, {
        code: "URL_INVALID",
        hint: "a URL starts with https:// or http:// followed by a host name",
      });
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new NodeError(`the URL scheme "${url.protocol}" is not allowed${from ? ` (redirect from ${from.host})` : ""}`, {
        code: "OUTBOUND_BLOCKED",
        hint: "only http:// and https:// URLs can be called",
      });
    const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
    if (requireTls && url.protocol === "http:")
      throw new NodeError(`plain http to ${url.host} is refused: the credential requires https`, {
        code: "TLS_REQUIRED",
        hint: "use an https:// URL, or turn off “Require TLS” on the credential",
      });
    if (this.options.requireTls && url.protocol === "http:" && !this.options.isAllowlisted(url.hostname, port))
      throw new NodeError(`plain http to ${url.host} is refused: this server requires https`, {
        code: "OUTBOUND_BLOCKED",
        hint: `use an https:// URL. ${ALLOW_HINT}`,
      });
    return url;
  }

  private async once(args: {
    url: URL;
    method: string;
    headers: Record<string, string>;
    body: Uint8Array | string | null;
    dispatcher: Dispatcher;
    signal: AbortSignal;
    timeout: AbortSignal;
    timeoutMs: number;
    maxBody: number | undefined;
  }): Promise<HttpResponse> {
    const { url, signal } = args;
    try {
      const res = await undiciRequest(url, {
        method: args.method,
        headers: args.headers,
        body: args.body,
        dispatcher: args.dispatcher,
        signal,
      });
      const body = await readLimited(res.body, args.maxBody ?? DEFAULT_MAX_BODY_BYTES, url.host);
      return { status: res.statusCode, headers: flattenHeaders(res.headers), url: url.href, body };
    } catch (error) {
      if (args.timeout.aborted)
        throw new NodeError(`${url.host} did not answer within ${args.timeoutMs} ms`, {
          code: "TIMEOUT",
          retryable: true,
          hint: "the server is slow or unreachable; raise the timeout or try again later",
        });
      if (signal.aborted) throw abortError(signal);
      throw netError(error, url.host);
    }
  }
}

async function readLimited(body: Dispatcher.ResponseData["body"], max: number, host: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      throw new NodeError(`the response from ${host} is larger than ${max} bytes`, {
        code: "RESPONSE_TOO_LARGE",
        hint: "raise the response size limit, or ask the API for smaller pages",
      });
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function withDefaults(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  out["user-agent"] ??= USER_AGENT;
  return out;
}

/** A FormData body is serialised once so redirects (307/308) can send it again. */
async function encodeBody(body: HttpRequest["body"], headers: Record<string, string>): Promise<Uint8Array | string | null> {
  if (!(body instanceof FormData)) return body ?? null;
  const encoded = new Response(body);
  headers["content-type"] = encoded.headers.get("content-type")!;
  return new Uint8Array(await encoded.arrayBuffer());
}

const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

function dropCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name)));
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith("content-")));
}

/**
 * Every exchange goes through the circuit breaker of its host: after repeated connection faults
 * (network errors, timeouts, 5xx, 429) calls fail fast with CIRCUIT_OPEN until a probe succeeds.
 * A 5xx is still returned to the caller, who decides what it means for the item.
 */
async function guarded(url: URL, exchange: () => Promise<HttpResponse>): Promise<HttpResponse> {
  const permit = breakerFor(url.host).acquire();
  let response: HttpResponse;
  try {
    response = await exchange();
  } catch (error) {
    permit.failure(error);
    throw error;
  }
  const status = response.status;
  if (status >= 500 || status === 429 || status === 408) permit.failure(new NodeError(`${url.host} answered ${status}`, { code: `HTTP_${status}` }));
  else permit.success();
  return response;
}
