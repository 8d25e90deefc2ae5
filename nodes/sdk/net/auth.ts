import { credentialData } from "../credential-kinds";
import { NodeError } from "../errors";
import type { HttpClient, HttpRequest } from "../host";
import type { Credential } from "../types";
import { oauth2Tokens, type OAuth2TokenCache } from "./oauth2";
import { credentialSecrets, expand } from "./redact";

/** What a credential adds to an HTTP request. */
export interface RequestAuth {
  headers: Record<string, string>;
  query: Record<string, string>;
  tls?: HttpRequest["tls"];
  /** Secret values to keep out of errors, logs and dry-run output. */
  secrets: string[];
  /** The credential may only travel over https (its "Require TLS" setting). */
  requireTls?: boolean;
  /** Set for tokens Gate fetched itself: forget it and fetch a new one (after a 401). */
  renew?: () => Promise<RequestAuth>;
}

export const HTTP_AUTH_KINDS = [
  "apiKey",
  "basic",
  "bearer",
  "oauth2ClientCredentials",
  "oauth2AuthorizationCode",
  "clientCertificate",
] as const;

/** Turn a resolved credential into headers, query parameters or a client certificate. */
export async function requestAuth(
  credential: Credential | undefined,
  deps: { http: HttpClient; signal: AbortSignal; tokens?: OAuth2TokenCache },
): Promise<RequestAuth> {
  const secrets = credentialSecrets(credential);
  const none: RequestAuth = { headers: {}, query: {}, secrets, ...(credential?.data.requireTls === true ? { requireTls: true } : {}) };
  if (!credential) return none;
  switch (credential.kind) {
    case "apiKey": {
      const data = credentialData("apiKey", credential);
      return data.in === "query" ? { ...none, query: { [data.name]: data.key } } : { ...none, headers: { [data.name.toLowerCase()]: data.key } };
    }
    case "basic": {
      const data = credentialData("basic", credential);
      return { ...none, headers: { authorization: `Basic ${Buffer.from(`${data.username}:${data.password}`).toString("base64")}` } };
    }
    case "bearer":
      return { ...none, headers: { authorization: `Bearer ${credentialData("bearer", credential).token}` } };
    case "oauth2AuthorizationCode": {
      const data = credentialData("oauth2AuthorizationCode", credential);
      if (!data.accessToken)
        throw new NodeError(`credential "${credential.name}" is not connected yet`, {
          code: "CREDENTIAL_NOT_CONNECTED",
          hint: "open the credential and press Connect to sign in to the service",
        });
      return { ...none, headers: { authorization: `Bearer ${data.accessToken}` } };
    }
    case "oauth2ClientCredentials": {
      const data = credentialData("oauth2ClientCredentials", credential);
      const tokens = deps.tokens ?? oauth2Tokens;
      const withToken = async (): Promise<RequestAuth> => {
        const token = await tokens.accessToken(credential, data, deps.http, deps.signal);
        return {
          headers: { authorization: `Bearer ${token}` },
          query: {},
          secrets: expand([...secrets, token]),
          renew: async () => {
            tokens.invalidate(credential, data);
            const renewed = await withToken();
            // A second 401 with a fresh token is the API's final word: no endless renewing.
            delete renewed.renew;
            return renewed;
          },
        };
      };
      return withToken();
    }
    case "clientCertificate": {
      const data = credentialData("clientCertificate", credential);
      return { ...none, tls: { cert: data.cert, key: data.key, ...(data.ca ? { ca: data.ca } : {}), ...(data.passphrase ? { passphrase: data.passphrase } : {}) } };
    }
    default:
      throw new NodeError(`credential "${credential.name}" is of kind ${credential.kind}, which HTTP requests cannot use`, {
        code: "CREDENTIAL_KIND",
        hint: `pick a credential of one of these kinds: ${HTTP_AUTH_KINDS.join(", ")}`,
      });
  }
}
