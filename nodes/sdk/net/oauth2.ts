import { createHash } from "node:crypto";
import type { CredentialData } from "../credential-kinds";
import { NodeError } from "../errors";
import type { HttpClient, HttpResponse } from "../host";
import type { Credential } from "../types";
import { bodyExcerpt, expand } from "./redact";

type ClientCredentials = CredentialData<"oauth2ClientCredentials">;

interface Token {
  accessToken: string;
  /** Epoch ms after which the token is not used any more. */
  expiresAt: number;
}

/** Renew this long before the server's expiry, so a token never expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** When the server gives no `expires_in`, reuse the token this long (a 401 renews it earlier). */
const DEFAULT_LIFETIME_MS = 3_600_000;

/**
 * OAuth 2.0 client-credentials tokens (RFC 6749 §4.4), fetched through the guarded client and
 * cached per credential until shortly before expiry. Concurrent requests share one fetch. The cache
 * key includes a hash of the credential's fields, so an edited credential never reuses an old token.
 */
export class OAuth2TokenCache {
  private readonly tokens = new Map<string, Promise<Token>>();

  constructor(private readonly now: () => number = Date.now) {}

  async accessToken(credential: Credential, data: ClientCredentials, http: HttpClient, signal: AbortSignal): Promise<string> {
    const key = cacheKey(credential, data);
    const cached = this.tokens.get(key);
    if (cached) {
      const token = await cached.catch(() => null);
      if (token && token.expiresAt > this.now()) return token.accessToken;
      if (this.tokens.get(key) === cached) this.tokens.delete(key);
    }
    const fetching = fetchToken(credential, data, http, signal).then((t) => ({
      accessToken: t.accessToken,
      expiresAt: this.now() + (t.expiresInMs ?? DEFAULT_LIFETIME_MS) - EXPIRY_MARGIN_MS,
    }));
    this.tokens.set(key, fetching);
    fetching.catch(() => {
      if (this.tokens.get(key) === fetching) this.tokens.delete(key);
    });
    return (await fetching).accessToken;
  }

  /** Forget the token (the API answered 401 with it). */
  invalidate(credential: Credential, data: ClientCredentials): void {
    this.tokens.delete(cacheKey(credential, data));
  }
}

function cacheKey(credential: Credential, data: ClientCredentials): string {
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([data.tokenUrl, data.clientId, data.clientSecret, data.scope ?? "", data.audience ?? ""]))
    .digest("base64url");
  return `${credential.id}:${fingerprint}`;
}

async function fetchToken(credential: Credential, data: ClientCredentials, http: HttpClient, signal: AbortSignal) {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (data.scope) form.set("scope", data.scope);
  if (data.audience) form.set("audience", data.audience);
  // RFC 6749 §2.3.1: servers must accept HTTP Basic; some accept only the form fields, so a
  // refused Basic attempt is repeated once with client_secret_post.
  const basic = Buffer.from(`${encodeURIComponent(data.clientId)}:${encodeURIComponent(data.clientSecret)}`).toString("base64");
  let res = await post(http, data.tokenUrl, form, { authorization: `Basic ${basic}` }, signal);
  if (res.status === 401 || (res.status === 400 && oauthError(res) === "invalid_client")) {
    const withSecret = new URLSearchParams(form);
    withSecret.set("client_id", data.clientId);
    withSecret.set("client_secret", data.clientSecret);
    res = await post(http, data.tokenUrl, withSecret, {}, signal);
  }
  const secrets = expand([data.clientSecret, basic]);
  if (res.status < 200 || res.status >= 300) {
    const code = oauthError(res);
    throw new NodeError(
      `the token endpoint of credential "${credential.name}" answered ${res.status}${code ? ` (${code})` : ""}: ${bodyExcerpt(res.body, secrets)}`,
      {
        code: "OAUTH_TOKEN",
        retryable: res.status >= 500 || res.status === 429,
        hint:
          res.status === 401 || code === "invalid_client"
            ? `check the client id and secret of credential "${credential.name}"`
            : `check the token URL, scope and audience of credential "${credential.name}"`,
      },
    );
  }
  let parsed: { access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(res.body).toString("utf8")) as typeof parsed;
  } catch {
    parsed = {};
  }
  if (typeof parsed.access_token !== "string" || !parsed.access_token)
    throw new NodeError(`the token endpoint of credential "${credential.name}" sent no access_token`, {
      code: "OAUTH_TOKEN",
      hint: "check the token URL: it should be the OAuth 2.0 token endpoint",
    });
  const expiresIn = Number(parsed.expires_in);
  return { accessToken: parsed.access_token, expiresInMs: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : undefined };
}

function post(http: HttpClient, url: string, form: URLSearchParams, headers: Record<string, string>, signal: AbortSignal) {
  return http.request({
    url,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
    body: form.toString(),
    maxRedirects: 0,
    signal,
  });
}

function oauthError(res: HttpResponse): string | undefined {
  try {
    const body = JSON.parse(Buffer.from(res.body).toString("utf8")) as { error?: unknown };
    return typeof body.error === "string" ? body.error.slice(0, 60) : undefined;
  } catch {
    return undefined;
  }
}

/** The tokens every node of this process shares. */
export const oauth2Tokens = new OAuth2TokenCache();
