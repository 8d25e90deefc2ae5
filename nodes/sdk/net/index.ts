import { parseAllowList } from "./allowlist";
import { GuardedHttpClient } from "./client";
import { AddressGuard, systemLookup, type Lookup } from "./guard";

export interface GuardedNetOptions {
  /** Exceptions to the guard: host names, `*.suffix`, IPs, CIDRs, `IP:port`, `host:port` (GATE_ALLOW_HOSTS). */
  allow?: readonly string[];
  /** Refuse plain `http:` except to allowlisted hosts. */
  requireTls?: boolean;
  /** DNS resolution (default: the system resolver); tests may pin names to addresses. */
  lookup?: Lookup;
}

export interface GuardedNet {
  readonly http: GuardedHttpClient;
  readonly net: AddressGuard;
  /** Close pooled connections (server shutdown, end of a test). */
  readonly close: () => Promise<void>;
}

/**
 * The outbound side of a NodeHost: an SSRF-guarded HTTP client and the same guard for nodes that
 * open their own connections. A bad allowlist entry throws AllowListError naming the entry.
 */
export function guardedNet(options: GuardedNetOptions = {}): GuardedNet {
  const allow = parseAllowList(options.allow ?? []);
  const guard = new AddressGuard(allow, options.lookup ?? systemLookup);
  const http = new GuardedHttpClient({
    guard,
    requireTls: options.requireTls ?? false,
    isAllowlisted: (hostname, port) => allow.allowsHost(hostname, port) || allow.allowsAddress(hostname.replace(/^\[|\]$/g, ""), port),
  });
  return { http, net: guard, close: () => http.close() };
}

export { AllowListError, parseAllowList, type AllowList } from "./allowlist";
export { blockedKind, parseIp } from "./address-policy";
export { AddressGuard, systemLookup, type Lookup, type ResolvedAddress } from "./guard";
export { GuardedHttpClient } from "./client";
export { HTTP_AUTH_KINDS, requestAuth, type RequestAuth } from "./auth";
export { OAuth2TokenCache, oauth2Tokens } from "./oauth2";
export { ConnectionLimiter, connectionLimiter, type LimitOptions, type Clock } from "./limiter";
export { nextLink } from "./link-header";
export { paginate, type Page, type PageDeps, type PaginationConfig } from "./pagination";
export { decodeBody, type BinaryBody, type ResponseFormat } from "./response-body";
export { encodeBody, type BodyMode, type EncodedBody } from "./request-body";
export { httpStatusError, isRetryableStatus, retryAfterMs } from "./status-error";
export { REDACTED, bodyExcerpt, credentialSecrets, redactHeaders, redactText, redactUrl } from "./redact";
export { deliveryFor } from "./delivery";
export { secretKey, standardWebhookSignature } from "./webhook-signature";
