// OAuth 2.0 authorization code + PKCE against a real authorization server (oidc-provider) on
// 127.0.0.1: connect, state check, token storage in the vault, refresh before expiry, revocation.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import Provider from "oidc-provider";
import { guardedNet, offlineHost, runNode } from "../../nodes/sdk";
import { openMemoryDatabase } from "../db/client";
import { loadDefaultRegistry } from "../engine/registry";
import { Vault } from "../vault";
import { OAuthConnector } from "./authorization-code";

const CALLBACK = "http://127.0.0.1:1/api/oauth/callback";
const CLIENT_SECRET = `cs_${randomBytes(16).toString("hex")}`;
const MACHINE_SECRET = `ms_${randomBytes(16).toString("hex")}`;
let issuer: string;
let server: http.Server;
let provider: Provider;

before(async () => {
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: "gate",
        client_secret: CLIENT_SECRET,
        redirect_uris: [CALLBACK],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
      {
        client_id: "machine",
        client_secret: MACHINE_SECRET,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: "client_secret_basic",
        scope: "api",
      },
    ],
    pkce: { required: () => true },
    features: { revocation: { enabled: true }, introspection: { enabled: true }, devInteractions: { enabled: false }, clientCredentials: { enabled: true } },
    scopes: ["openid", "offline_access", "api"],
    issueRefreshToken: () => true,
    ttl: { AccessToken: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  });
  provider.proxy = false;
  const callback = provider.callback();
  // A person who signs in and consents at once: the interaction endpoint finishes both prompts.
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith("/interaction/")) return void callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") return provider.interactionFinished(req, res, { login: { accountId: "alice" } }, { mergeWithLastSubmission: false });
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
      grant.addOIDCScope("openid offline_access");
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })();
  });
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The browser's part: follow redirects with cookies until the provider sends the person back to Gate. */
async function authorize(url: string): Promise<URL> {
  const jar = new Map<string, string>();
  let next = url;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(next, { redirect: "manual", headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair!.split("=");
      jar.set(k!, v ?? "");
    }
    await response.arrayBuffer();
    const location = response.headers.get("location");
    if (!location) throw new Error(`no redirect from ${next} (status ${response.status})`);
    const target = new URL(location, next);
    if (target.href.startsWith(CALLBACK)) return target;
    next = target.href;
  }
  throw new Error("too many redirects");
}

function vaultWith(data: Record<string, unknown>) {
  const vault = new Vault(openMemoryDatabase(), { current: 1, keys: new Map([[1, randomBytes(32)]]), source: "env" });
  vault.set("crm", "oauth2AuthorizationCode", {
    authorizeUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    revokeUrl: `${issuer}/token/revocation`,
    clientId: "gate",
    clientSecret: CLIENT_SECRET,
    scope: "openid offline_access",
    ...data,
  });
  return vault;
}

async function introspect(token: string): Promise<boolean> {
  const response = await fetch(`${issuer}/token/introspection`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, client_id: "gate", client_secret: CLIENT_SECRET }),
  });
  return ((await response.json()) as { active: boolean }).active;
}

test("Connect: PKCE S256 + state, code exchanged, tokens stored sealed and never listed", async () => {
  const vault = vaultWith({});
  const connector = new OAuthConnector(vault, fetch);
  const { url } = await connector.start("crm", CALLBACK);
  const params = new URL(url).searchParams;
  assert.equal(params.get("code_challenge_method"), "S256");
  assert.ok(params.get("state"));
  const back = await authorize(url);
  assert.deepEqual(await connector.callback(back), { credential: "crm" });
  const credential = vault.resolve("crm");
  assert.ok(typeof credential.data.accessToken === "string" && credential.data.accessToken.length > 10);
  assert.ok(typeof credential.data.refreshToken === "string");
  assert.ok(await introspect(credential.data.accessToken));
  const listed = JSON.stringify(vault.list());
  assert.ok(!listed.includes(credential.data.accessToken) && !listed.includes(credential.data.refreshToken));
  assert.ok(vault.get("crm")!.expiresAt! > Date.now() + 3000_000, "expiry tracked");
});

test("an answer with an unknown or replayed state is refused", async () => {
  const vault = vaultWith({});
  const connector = new OAuthConnector(vault, fetch);
  const { url } = await connector.start("crm", CALLBACK);
  const back = await authorize(url);
  const forged = new URL(back);
  forged.searchParams.set("state", "forged");
  await assert.rejects(connector.callback(forged), /does not match a Connect started here/);
  await connector.callback(back);
  await assert.rejects(connector.callback(back), /does not match a Connect started here/, "a state is used once");
});

test("a token close to expiry is refreshed before use; a fresh one is left alone", async () => {
  const vault = vaultWith({});
  const connector = new OAuthConnector(vault, fetch);
  await connector.callback(await authorize((await connector.start("crm", CALLBACK)).url));
  const first = vault.resolve("crm");
  assert.equal(await connector.fresh(first), first, "not near expiry: unchanged");
  const soon = Date.parse(first.data.expiresAt as string) - 30_000;
  const refreshed = await connector.fresh(first, soon);
  assert.notEqual(refreshed.data.accessToken, first.data.accessToken);
  assert.ok(await introspect(refreshed.data.accessToken as string));
});

test("deleting revokes the tokens at the provider", async () => {
  const vault = vaultWith({});
  const connector = new OAuthConnector(vault, fetch);
  await connector.callback(await authorize((await connector.start("crm", CALLBACK)).url));
  const { accessToken, refreshToken } = vault.resolve("crm").data as { accessToken: string; refreshToken: string };
  assert.deepEqual(await connector.revoke("crm"), { revoked: true });
  assert.equal(await introspect(accessToken), false);
  assert.equal(await introspect(refreshToken), false);
});

test("a wrong client secret gives the provider's refusal, without the secret", async () => {
  const vault = vaultWith({ clientSecret: "wrong-secret-value-123" });
  const connector = new OAuthConnector(vault, fetch);
  const back = await authorize((await connector.start("crm", CALLBACK)).url);
  await assert.rejects(connector.callback(back), (error: Error) => {
    assert.match(error.message, /provider refused the connection: invalid_client/);
    assert.ok(!error.message.includes("wrong-secret-value-123"));
    return true;
  });
});

test("OAuth2 client credentials: http.request gets a token from the real provider and the API accepts it", async () => {
  // The protected API: accepts a bearer token only when the provider says it is active.
  const api = http.createServer((req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    void (token ? introspect(token) : Promise.resolve(false)).then((active) =>
      res.writeHead(active ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify({ ok: active })),
    );
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const network = guardedNet({ allow: ["127.0.0.1"] });
  try {
    const registry = await loadDefaultRegistry();
    const result = await runNode(registry.get("http.request")!, {
      config: { method: "GET", url: `http://127.0.0.1:${(api.address() as AddressInfo).port}/orders`, credential: "machine" },
      items: [{}],
      mode: "live",
      credential: {
        id: "m",
        name: "machine",
        kind: "oauth2ClientCredentials",
        data: { tokenUrl: `${issuer}/token`, clientId: "machine", clientSecret: MACHINE_SECRET, scope: "api" },
      },
      host: { ...offlineHost(), http: network.http, net: network.net },
    });
    assert.deepEqual(result.outputs.error ?? [], []);
    assert.deepEqual(result.outputs.main, [{ response: { ok: true } }]);
  } finally {
    await network.close();
    await new Promise<void>((resolve) => api.close(() => resolve()));
  }
});
