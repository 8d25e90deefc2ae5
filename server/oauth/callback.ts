import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuditLog } from "../audit/audit";
import { logger } from "../log";
import { OAuthError, type OAuthConnector } from "./authorization-code";

export const OAUTH_CALLBACK_PATH = "/api/oauth/callback";
const CREDENTIALS_PAGE = "/settings/credentials";

/**
 * Where the provider sends the person back after Connect. The state parameter ties the answer to a
 * Connect started by an admin here; the person lands on the credentials page with the outcome.
 */
export function oauthCallbackHandler(oauth: OAuthConnector, audit: AuditLog) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://gate.invalid");
    const back = (query: Record<string, string>) => res.writeHead(302, { location: `${CREDENTIALS_PAGE}?${new URLSearchParams(query)}` }).end();
    oauth
      .callback(url)
      .then(({ credential }) => {
        audit.record({ actor: "system", action: "credential.connect", target: credential, outcome: "ok", sourceIp: req.socket.remoteAddress });
        back({ connected: credential });
      })
      .catch((error: unknown) => {
        if (!(error instanceof OAuthError)) logger.error({ err: error }, "OAuth callback failed");
        audit.record({ actor: "system", action: "credential.connect", outcome: "failed", sourceIp: req.socket.remoteAddress, detail: { reason: (error as Error).message } });
        back({ oauthError: error instanceof OAuthError ? error.message : "the connection could not be completed; see the server log" });
      });
  };
}
