/**
 * OAuth 2.0 authorization code with PKCE for `oauth2AuthorizationCode` credentials, on oauth4webapi:
 * the Connect button starts here, the provider sends the person back to /api/oauth/callback, tokens
 * go straight into the vault, are refreshed shortly before they expire, and are revoked when the
 * credential is deleted. Every call to the provider goes through the given fetch (the SSRF guard).
 */
import * as oauth from "oauth4webapi";
import { credentialData, type Credential, type CredentialData } from "../../nodes/sdk";
import type { Vault } from "../vault";

/** How long a started Connect may wait for the provider's answer. */
const PENDING_TTL_MS = 10 * 60_000;
/** Refresh when less than this is left, so a token never expires in the middle of a run. */
export const REFRESH_MARGIN_MS = 60_000;

export class OAuthError extends Error {
  override readonly name = "OAuthError";
  constructor(
    readonly code: "UNKNOWN_STATE" | "WRONG_KIND" | "PROVIDER_REFUSED" | "NO_REFRESH_TOKEN",
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  credential: string;
  verifier: string;
  redirectUri: string;
  expires: number;
}

type Data = CredentialData<"oauth2AuthorizationCode">;

function endpoints(data: Data): { as: oauth.AuthorizationServer; client: oauth.Client; auth: oauth.ClientAuth } {
  return {
    as: {
      issuer: new URL(data.tokenUrl).origin,
      authorization_endpoint: data.authorizeUrl,
      token_endpoint: data.tokenUrl,
      revocation_endpoint: data.revokeUrl,
    },
    client: { client_id: data.clientId },
    auth: data.clientSecret ? oauth.ClientSecretPost(data.clientSecret) : oauth.None(),
  };
}

export class OAuthConnector {
  // In memory on purpose: a Connect lives for minutes, and a restart only means clicking again.
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly vault: Vault,
    private readonly fetchImpl: typeof fetch,
  ) {}

  private options(url: string) {
    // http:// is allowed only because the SSRF guard already decides which hosts are reachable; the
    // editor warns about http:// endpoints.
    return { [oauth.customFetch]: this.fetchImpl, [oauth.allowInsecureRequests]: url.startsWith("http:") };
  }

  private dataOf(name: string): { credential: Credential; data: Data } {
    const credential = this.vault.resolve(name);
    if (credential.kind !== "oauth2AuthorizationCode")
      throw new OAuthError("WRONG_KIND", `credential "${name}" is of kind ${credential.kind}; Connect works with oauth2AuthorizationCode credentials`);
    return { credential, data: credentialData("oauth2AuthorizationCode", credential) };
  }

  /** The provider's authorization URL for the person to open, with state and an S256 PKCE challenge. */
  async start(name: string, redirectUri: string, now = Date.now()): Promise<{ url: string }> {
    const { data } = this.dataOf(name);
    for (const [key, p] of this.pending) if (p.expires < now) this.pending.delete(key);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    this.pending.set(state, { credential: name, verifier, redirectUri, expires: now + PENDING_TTL_MS });
    const url = new URL(data.authorizeUrl);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("client_id", data.clientId);
    url.searchParams.set("redirect_uri", redirectUri);
    url.searchParams.set("state", state);
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set("code_challenge_method", "S256");
    if (data.scope) url.searchParams.set("scope", data.scope);
    return { url: url.href };
  }

  /** The provider's redirect back: checks state, exchanges the code and stores the tokens. */
  async callback(callbackUrl: URL, now = Date.now()): Promise<{ credential: string }> {
    const state = callbackUrl.searchParams.get("state") ?? "";
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (!pending || pending.expires < now)
      throw new OAuthError("UNKNOWN_STATE", "this sign-in answer does not match a Connect started here (or it took longer than 10 minutes); click Connect again");
    const { data } = this.dataOf(pending.credential);
    const { as, client, auth } = endpoints(data);
    let tokens: oauth.TokenEndpointResponse;
    try {
      const params = oauth.validateAuthResponse(as, client, callbackUrl, state);
      const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, pending.redirectUri, pending.verifier, this.options(data.tokenUrl));
      tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    } catch (error) {
      throw new OAuthError("PROVIDER_REFUSED", `the provider refused the connection: ${describe(error)}`);
    }
    this.store(pending.credential, data, tokens, now);
    return { credential: pending.credential };
  }

  /** The credential, refreshed first when its access token expires within the margin. */
  async fresh(credential: Credential, now = Date.now()): Promise<Credential> {
    if (credential.kind !== "oauth2AuthorizationCode") return credential;
    const data = credentialData("oauth2AuthorizationCode", credential);
    if (!data.expiresAt || Date.parse(data.expiresAt) - now > REFRESH_MARGIN_MS) return credential;
    if (!data.refreshToken) throw new OAuthError("NO_REFRESH_TOKEN", `the access token of "${credential.name}" expired and there is no refresh token; click Connect again`);
    const { as, client, auth } = endpoints(data);
    let tokens: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.refreshTokenGrantRequest(as, client, auth, data.refreshToken, this.options(data.tokenUrl));
      tokens = await oauth.processRefreshTokenResponse(as, client, response);
    } catch (error) {
      throw new OAuthError("PROVIDER_REFUSED", `refreshing the token of "${credential.name}" failed: ${describe(error)}; click Connect again`);
    }
    this.store(credential.name, data, tokens, now);
    return this.vault.resolve(credential.name);
  }

  /** Revoke the tokens at the provider (RFC 7009) before the credential is deleted; best effort. */
  async revoke(name: string): Promise<{ revoked: boolean }> {
    const { data } = this.dataOf(name);
    if (!data.revokeUrl) return { revoked: false };
    const { as, client, auth } = endpoints(data);
    let revoked = false;
    for (const token of [data.refreshToken, data.accessToken]) {
      if (!token) continue;
      const response = await oauth.revocationRequest(as, client, auth, token, this.options(data.revokeUrl));
      await oauth.processRevocationResponse(response);
      revoked = true;
    }
    return { revoked };
  }

  private store(name: string, data: Data, tokens: oauth.TokenEndpointResponse, now: number) {
    this.vault.replaceData(name, {
      ...data,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? data.refreshToken,
      expiresAt: tokens.expires_in === undefined ? undefined : new Date(now + tokens.expires_in * 1000).toISOString(),
    });
  }
}

/** The provider's error code and description, never a token. */
function describe(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) return `${error.error}${error.error_description ? ` (${error.error_description})` : ""}`;
  if (error instanceof oauth.AuthorizationResponseError) return `${error.error}${error.error_description ? ` (${error.error_description})` : ""}`;
  return error instanceof Error ? error.message : String(error);
}
