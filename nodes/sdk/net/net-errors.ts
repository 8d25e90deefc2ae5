import { NodeError } from "../errors";

/**
 * Turn a socket, DNS or TLS failure into a NodeError a person can act on. Only codes are
 * inspected; the low-level message is kept as the cause, never shown (it can echo addresses
 * the guard refused to reveal, and means little to a non-developer).
 */
export function netError(error: unknown, host: string): NodeError {
  if (error instanceof NodeError) return error;
  const code = errorCode(error);
  if (code === "ENOTFOUND" || code === "ENODATA" || code === "EAI_NONAME")
    return new NodeError(`the host name "${host}" could not be found`, {
      code: "DNS",
      hint: "check the host name in the URL for typos; internal names need the server's DNS",
      cause: error,
    });
  if (code === "EAI_AGAIN" || code === "ESERVFAIL" || (code === "ETIMEOUT" && isDns(error)))
    return new NodeError(`looking up "${host}" failed for now`, {
      code: "DNS",
      retryable: true,
      hint: "the DNS server did not answer; this is usually temporary",
      cause: error,
    });
  if (code && TIMEOUT_CODES.has(code))
    return new NodeError(`${host} did not answer in time`, {
      code: "TIMEOUT",
      retryable: true,
      hint: "the server is slow or unreachable; raise the timeout or try again later",
      cause: error,
    });
  if (code && (TLS_CODES.has(code) || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_") || code.startsWith("ERR_OSSL_") || code.startsWith("CERT_")))
    return new NodeError(`the secure (TLS) connection to ${host} failed (${code})`, {
      code: "TLS",
      hint: tlsHint(code),
      cause: error,
    });
  if (code && CONNECTION_CODES.has(code))
    return new NodeError(`could not connect to ${host} (${connectionWords(code)})`, {
      code: "CONNECTION",
      retryable: true,
      hint: "check that the server is running and reachable from Gate, and the port in the URL",
      cause: error,
    });
  return new NodeError(`the request to ${host} failed${code ? ` (${code})` : ""}`, {
    code: "CONNECTION",
    retryable: true,
    hint: "a network error occurred; it may be temporary",
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  // undici wraps socket errors; the useful code is often on the cause.
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET" && code !== "UND_ERR_CONNECT") return code;
    if (code === "UND_ERR_SOCKET" && !(e as { cause?: unknown }).cause) return "ECONNRESET";
  }
  return undefined;
}

function isDns(error: unknown): boolean {
  return typeof (error as { syscall?: unknown }).syscall === "string" && /getaddrinfo|query/.test((error as { syscall: string }).syscall);
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT", "ETIMEOUT"]);

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "ECONNABORTED",
  "UND_ERR_CLOSED",
  "UND_ERR_SOCKET",
]);

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "EPROTO",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

function connectionWords(code: string): string {
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "UND_ERR_CLOSED") return "the connection was closed";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "the network or host is unreachable";
  return code;
}

function tlsHint(code: string): string {
  if (code.includes("CERTIFICATE_REQUIRED") || code.includes("HANDSHAKE_FAILURE") || code.includes("BAD_CERTIFICATE") || code.includes("UNKNOWN_CA"))
    return "the server wants a client certificate it trusts: check the client-certificate credential";
  if (code.includes("BAD_DECRYPT") || code.includes("KEY_VALUES_MISMATCH") || code.startsWith("ERR_OSSL"))
    return "the client certificate, its key or passphrase could not be used: check the client-certificate credential";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return "the server's certificate is for a different host name: check the URL";
  if (code.includes("EXPIRED")) return "the server's certificate has expired: the API owner must renew it";
  return "the server's certificate is not trusted: if it uses a private CA, add the CA to a client-certificate credential";
}
