import { NodeError } from "../errors";
import type { HttpResponse } from "../host";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Where a response redirects to, and with which method, following the Fetch standard:
 * 303 always becomes GET (except HEAD); 301/302 turn a POST into GET; 307/308 keep both
 * method and body. Null when the response is not a redirect.
 */
export function redirectTarget(response: HttpResponse, from: { method: string; url: URL }): { url: URL; method: string } | null {
  if (!REDIRECTS.has(response.status)) return null;
  const location = response.headers.location;
  if (!location) return null;
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch {
    throw new NodeError(`${from.url.host} redirected to an invalid address`, {
      code: "REDIRECT_INVALID",
      hint: "the server sent a broken Location header; contact the API owner",
    });
  }
  url.hash = url.hash || from.url.hash;
  const toGet =
    (response.status === 303 && from.method !== "HEAD") || ((response.status === 301 || response.status === 302) && from.method === "POST");
  return { url, method: toGet ? "GET" : from.method };
}
