import type { HttpClient } from "../../nodes/sdk";

/** Statuses whose responses must not carry a body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * A `fetch` over Gate's SSRF-guarded client, for libraries that take a custom fetch (oauth4webapi):
 * token, refresh and revocation calls then obey the same outbound rules as every node.
 */
export function guardedFetch(http: HttpClient): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = request ? request.url : input instanceof URL ? input.href : (input as string);
    const body = init?.body ?? null;
    if (body !== null && typeof body !== "string" && !(body instanceof URLSearchParams) && !(body instanceof Uint8Array))
      throw new TypeError("guardedFetch sends string, URLSearchParams or byte bodies only");
    const response = await http.request({
      url,
      method: init?.method ?? request?.method ?? "GET",
      headers: Object.fromEntries(new Headers(init?.headers ?? request?.headers).entries()),
      body: body instanceof URLSearchParams ? body.toString() : body,
      maxRedirects: 0,
      signal: init?.signal ?? undefined,
    });
    return new Response(NULL_BODY.has(response.status) ? null : Buffer.from(response.body), { status: response.status, headers: response.headers });
  };
}
