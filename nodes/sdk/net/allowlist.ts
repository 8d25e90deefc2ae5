import ipaddr from "ipaddr.js";
import { parseIp } from "./address-policy";

/**
 * The explicit exceptions to the SSRF guard (GATE_ALLOW_HOSTS): a host name (`crm.lan`), a
 * wildcard suffix (`*.lan`), an IP (`10.0.0.5`), a CIDR (`10.0.0.0/8`, `fd00::/8`), or any of
 * the host/IP forms with a port (`127.0.0.1:8080`, `[::1]:8080`, `crm.lan:8443`).
 */
export interface AllowList {
  /** Is `hostname` (as written in the URL, lower-cased) allowed on `port`, whatever it resolves to? */
  allowsHost(hostname: string, port: number): boolean;
  /** Is the resolved `address` allowed on `port`? */
  allowsAddress(address: string, port: number): boolean;
  readonly entries: readonly string[];
}

type Entry =
  | { kind: "host"; name: string; port: number | null }
  | { kind: "suffix"; suffix: string; port: number | null }
  | { kind: "cidr"; net: [ipaddr.IPv4 | ipaddr.IPv6, number]; port: number | null };

export class AllowListError extends Error {
  constructor(entry: string, reason: string) {
    super(`allowlist entry "${entry}" is not valid: ${reason}`);
    this.name = "AllowListError";
  }
}

export function parseAllowList(entries: readonly string[]): AllowList {
  const parsed = entries.map((raw) => raw.trim()).filter(Boolean).map(parseEntry);
  const portOk = (want: number | null, port: number) => want === null || want === port;
  return {
    entries: parsed.length ? entries.map((e) => e.trim()).filter(Boolean) : [],
    allowsHost(hostname, port) {
      const name = hostname.toLowerCase().replace(/\.$/, "");
      return parsed.some(
        (e) =>
          (e.kind === "host" && e.name === name && portOk(e.port, port)) ||
          (e.kind === "suffix" && name.endsWith(e.suffix) && portOk(e.port, port)),
      );
    },
    allowsAddress(address, port) {
      const ip = parseIp(address);
      if (!ip) return false;
      const candidates = [ip];
      if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) candidates.push((ip as ipaddr.IPv6).toIPv4Address());
      return parsed.some(
        (e) =>
          e.kind === "cidr" &&
          portOk(e.port, port) &&
          candidates.some((c) => c.kind() === e.net[0].kind() && c.match(e.net)),
      );
    },
  };
}

function parseEntry(raw: string): Entry {
  const { host, port } = splitPort(raw);
  if (host.includes("/")) {
    try {
      return { kind: "cidr", net: ipaddr.parseCIDR(host.replace(/^\[|\]$/g, "")), port };
    } catch {
      throw new AllowListError(raw, "not a CIDR range (e.g. 10.0.0.0/8 or fd00::/8)");
    }
  }
  const ip = parseIp(host);
  if (ip) return { kind: "cidr", net: [ip, ip.kind() === "ipv4" ? 32 : 128], port };
  const name = host.toLowerCase().replace(/\.$/, "");
  if (name.startsWith("*.")) {
    if (!isHostname(name.slice(2))) throw new AllowListError(raw, "not a host name after '*.'");
    return { kind: "suffix", suffix: name.slice(1), port };
  }
  if (!isHostname(name)) throw new AllowListError(raw, "expected a host name, IP address, CIDR range or IP:port");
  return { kind: "host", name, port };
}

function splitPort(raw: string): { host: string; port: number | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? toPort(raw, bracketed[2]) : null };
  const colons = raw.split(":").length - 1;
  // More than one colon without brackets is a bare IPv6 address (or CIDR), never host:port.
  if (colons !== 1) return { host: raw, port: null };
  const [host, port] = raw.split(":") as [string, string];
  return { host, port: toPort(raw, port) };
}

function toPort(raw: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new AllowListError(raw, `port "${text}" must be 1–65535`);
  return port;
}

function isHostname(name: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/.test(name);
}
