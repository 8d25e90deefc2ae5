import { isIP } from "node:net";
import { buildConnector } from "undici";
import type { AddressGuard, ResolvedAddress } from "./guard";

/**
 * An undici connector that resolves through the guard and connects to the checked address
 * itself. Why not `request-filtering-agent`: it only plugs into node:http/https Agents, and Gate's
 * client is undici. Why not only `connect: { lookup }`: the lookup callback never learns the
 * port, and IP:port allowlist entries need it.
 */
export function guardedConnector(guard: AddressGuard, tlsOptions: buildConnector.BuildOptions = {}): buildConnector.connector {
  const base = buildConnector({ timeout: 10_000, ...tlsOptions });
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === "https:" ? 443 : 80);
    guard.addresses(options.hostname, port).then(
      (records) => connectFirst(base, options, records, callback),
      (error: Error) => callback(error, null),
    );
  };
}

/** Records are tried in order; a refused or unreachable address falls through to the next one. */
function connectFirst(
  base: buildConnector.connector,
  options: buildConnector.Options,
  records: ResolvedAddress[],
  callback: buildConnector.Callback,
  index = 0,
) {
  const record = records[index]!;
  const named = isIP(options.hostname) === 0;
  const attempt: buildConnector.Options = {
    ...options,
    hostname: record.address,
    // Certificate checks and SNI still use the name the user wrote, not the address.
    ...(named ? { servername: options.servername || options.hostname } : {}),
  };
  try {
    base(attempt, (error, socket) => {
      if (error && index + 1 < records.length && FALLTHROUGH.has((error as { code?: string }).code ?? ""))
        return connectFirst(base, options, records, callback, index + 1);
      if (error) return callback(error, null);
      callback(null, socket);
    });
  } catch (error) {
    callback(error as Error, null);
  }
}

const FALLTHROUGH = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "EAFNOSUPPORT"]);
