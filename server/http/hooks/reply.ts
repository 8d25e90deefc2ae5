import type { ServerResponse } from "node:http";
import type { WebhookOutcome } from "../../db/schema";

/** What one request turned into, for the log. */
export interface Answer {
  status: number;
  outcome: WebhookOutcome;
  reason?: string;
  eventId?: string;
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Write what a Respond node answered: a string body as is, anything else as JSON. */
export function writeFlowResponse(res: ServerResponse, response: { status: number; headers: Record<string, string>; body: unknown }, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = typeof response.body === "string" ? response.body : response.body === undefined ? "" : JSON.stringify(response.body);
  res.writeHead(response.status, { ...response.headers, ...extra, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
