import { STATUS_CODES } from "node:http";
import { NodeError } from "../errors";
import type { HttpResponse } from "../host";
import { bodyExcerpt, redactUrl } from "./redact";

/** Longest wait a `Retry-After` may impose; beyond it the run would look hung. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** 5xx are worth retrying except those that will not change by waiting. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * A non-2xx answer as a NodeError: code `HTTP_<status>`, the status and a short, redacted body
 * excerpt in the message and details, a hint written for the person fixing the flow.
 */
export function httpStatusError(res: HttpResponse, request: { method: string; url: string; secrets: readonly string[]; credentialName?: string | undefined }): NodeError {
  const excerpt = bodyExcerpt(res.body, request.secrets);
  const url = redactUrl(request.url, request.secrets);
  const reason = STATUS_CODES[res.status] ?? "";
  return new NodeError(`${request.method} ${url} answered ${res.status}${reason ? ` ${reason}` : ""}${excerpt ? `: ${excerpt}` : ""}`, {
    code: `HTTP_${res.status}`,
    retryable: isRetryableStatus(res.status),
    retryAfterMs: res.status === 429 || res.status === 503 ? retryAfterMs(res.headers["retry-after"]) : undefined,
    hint: statusHint(res.status, request.credentialName),
    details: [{ status: res.status, url, body: excerpt }],
  });
}

function statusHint(status: number, credentialName: string | undefined): string {
  const cred = credentialName ? `credential "${credentialName}"` : "the credential (none is set)";
  if (status === 401) return `the API did not accept the authentication: check ${cred}, and whether the API allows Gate's IP address`;
  if (status === 403) return `the API refused access: check the permissions (scopes) of ${cred}, and whether the API allows Gate's IP address`;
  if (status === 404) return "check the URL, and any id in it: the API has nothing there";
  if (status === 405) return "check the method (GET, POST, …): the API does not allow it at this URL";
  if (status === 400 || status === 422) return "the API refused the data sent: compare the body and query with the API's documentation";
  if (status === 409) return "the API reports a conflict (e.g. the record already exists)";
  if (status === 410) return "the API says this resource is gone for good: update the URL";
  if (status === 413) return "the request body is too large for the API";
  if (status === 429) return "the API is rate limiting Gate: it is retried after the wait the API asked for; lower the node's rate limit";
  if (status >= 500) return "the API had a problem on its side; the request is retried per the flow's retry policy";
  if (status >= 300 && status < 400) return "the API redirected more often than allowed, or to a place Gate does not follow: check the URL";
  return "see the API's documentation for this status";
}
