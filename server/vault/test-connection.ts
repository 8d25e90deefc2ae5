/**
 * "Test connection": prove a stored credential works against its system and, when it does not, say
 * which kind of failure it is (invalid or expired, forbidden, IP not allowed, rate limited, TLS, DNS,
 * connection) with a hint. HTTP kinds GET their `testUrl`; database kinds ask a node that uses them
 * (its `checkCredential` hook), so Gate's server never learns a driver.
 */
import {
  createNodeContext,
  credentialSecrets,
  redactText,
  requestAuth,
  silentLogger,
  toNodeError,
  type Credential,
  type NodeError,
  type NodeHost,
} from "../../nodes/sdk";
import type { CredentialResolver } from "../engine/interpreter";
import type { NodeRegistry } from "../engine/registry";

export type ConnectionOutcome =
  | "ok"
  | "invalid"
  | "forbidden"
  | "ipNotAllowed"
  | "rateLimited"
  | "tls"
  | "dns"
  | "connection"
  | "timeout"
  | "blocked"
  | "notTestable"
  | "failed";

export interface ConnectionCheck {
  outcome: ConnectionOutcome;
  message: string;
  hint?: string;
  status?: number;
  durationMs: number;
}

const HINTS: Record<ConnectionOutcome, string | undefined> = {
  ok: undefined,
  invalid: "the secret is wrong or expired: rotate the credential (or Connect again for OAuth)",
  forbidden: "the credential is valid but may not do this: check its permissions or scopes at the service",
  ipNotAllowed: "the service only accepts certain IP addresses: add Gate's outbound address to its allowlist",
  rateLimited: "the service is rate limiting: wait and try again",
  tls: "the certificate could not be verified or the client certificate was refused: check the CA, certificate and key",
  dns: "the host name does not resolve: check the address for typos",
  connection: "nothing answered: check the host, port and any firewall between Gate and the service",
  timeout: "the service did not answer in time: check that it is up and reachable",
  blocked: "Gate's SSRF guard refused the address: for a host on your network, add it to GATE_ALLOW_HOSTS",
  notTestable: undefined,
  failed: undefined,
};

const BY_CODE: Record<string, ConnectionOutcome> = {
  OUTBOUND_BLOCKED: "blocked",
  DNS: "dns",
  CONNECTION: "connection",
  TLS: "tls",
  TIMEOUT: "timeout",
  DB_AUTH: "invalid",
  DB_UNREACHABLE: "connection",
  CREDENTIAL_EXPIRED: "invalid",
  CREDENTIAL_INVALID: "invalid",
  CREDENTIAL_NOT_CONNECTED: "invalid",
};

/** 403s that say why: some services name the caller's address when it is not on their allowlist. */
const IP_REFUSAL = /\b(ip|address)\b[^\n]{0,60}\b(not allowed|not permitted|blocked|denied|allowlist|whitelist)|\b(allowlist|whitelist)\b/i;

function fromStatus(status: number, excerpt: string): ConnectionOutcome {
  if (status >= 200 && status < 300) return "ok";
  if (status === 401) return "invalid";
  if (status === 403) return IP_REFUSAL.test(excerpt) ? "ipNotAllowed" : "forbidden";
  if (status === 429) return "rateLimited";
  return "failed";
}

export interface TestConnectionDeps {
  credentials: CredentialResolver;
  registry: NodeRegistry;
  host: NodeHost;
  timeoutMs?: number;
}

export async function testConnection(deps: TestConnectionDeps, name: string): Promise<ConnectionCheck> {
  const started = performance.now();
  const done = (outcome: ConnectionOutcome, message: string, extra: { status?: number; hint?: string } = {}): ConnectionCheck => ({
    outcome,
    message,
    hint: extra.hint ?? HINTS[outcome],
    status: extra.status,
    durationMs: Math.round(performance.now() - started),
  });
  let credential: Credential | undefined;
  const signal = AbortSignal.timeout(deps.timeoutMs ?? 15_000);
  try {
    credential = await deps.credentials.resolve(name);
    const checker = deps.registry.types().map((t) => deps.registry.get(t)!).find((d) => d.checkCredential && d.credential?.kinds.includes(credential!.kind));
    if (checker?.checkCredential) {
      const ctx = createNodeContext({
        nodeId: "test-connection",
        mode: "test",
        dryRun: false,
        signal,
        log: silentLogger,
        bindings: { execution: { id: "test-connection", mode: "test" }, flow: { name: "test connection" } },
        host: deps.host,
      });
      await checker.checkCredential({ credential, ctx });
      return done("ok", `connected to ${credential.kind} with "${name}"`);
    }
    if (credential.kind === "webhookSecret") return done("notTestable", "a signing secret is checked when a delivery arrives; there is nothing to connect to");
    const testUrl = credential.data.testUrl;
    const auth = await requestAuth(credential, { http: deps.host.http, signal });
    if (typeof testUrl !== "string") {
      if (credential.kind === "oauth2ClientCredentials") return done("ok", "the token endpoint issued an access token");
      return done("notTestable", "add a Test URL to the credential so Gate knows where to try it");
    }
    const url = new URL(testUrl);
    for (const [k, v] of Object.entries(auth.query)) url.searchParams.set(k, v);
    const response = await deps.host.http.request({ url: url.href, method: "GET", headers: auth.headers, tls: auth.tls, requireTls: auth.requireTls, signal, maxBodyBytes: 64 * 1024 });
    const excerpt = redactText(Buffer.from(response.body).toString("utf8").slice(0, 300), auth.secrets);
    const outcome = fromStatus(response.status, excerpt);
    return done(outcome, outcome === "ok" ? `GET ${redactText(testUrl, auth.secrets)} answered ${response.status}` : `GET answered ${response.status}: ${excerpt}`, { status: response.status });
  } catch (error) {
    const failure: NodeError = toNodeError(error);
    const secrets = credentialSecrets(credential);
    return done(BY_CODE[failure.code] ?? "failed", redactText(failure.message, secrets), { hint: HINTS[BY_CODE[failure.code] ?? "failed"] ?? failure.hint });
  }
}
