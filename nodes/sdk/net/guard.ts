import dns from "node:dns";
import { NodeError } from "../errors";
import type { OutboundGuard } from "../host";
import { METADATA_HOSTNAMES, blockedKind, canonicalIp, parseIp } from "./address-policy";
import type { AllowList } from "./allowlist";
import { netError } from "./net-errors";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Lookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** Every A/AAAA record of a name, as the operating system's resolver sees it (hosts file included). */
export const systemLookup: Lookup = async (hostname) => {
  const records = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return records.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

export const ALLOW_HINT =
  "Gate refuses to reach internal addresses. If this host is meant to be reachable, an administrator can add it (host, CIDR or IP:port) to GATE_ALLOW_HOSTS";

/**
 * The SSRF rule in one place: a host is resolved once, EVERY record is checked, and the caller
 * connects to exactly the addresses returned here — never to a second lookup's answer, so DNS
 * rebinding between check and connect cannot happen.
 */
export class AddressGuard implements OutboundGuard {
  constructor(
    private readonly allow: AllowList,
    private readonly lookup: Lookup = systemLookup,
  ) {}

  /** Addresses to connect to for `host:port`; throws NodeError OUTBOUND_BLOCKED or DNS. */
  async addresses(host: string, port: number): Promise<ResolvedAddress[]> {
    const hostname = host.toLowerCase().replace(/\.$/, "");
    const literal = parseIp(hostname);
    if (literal) {
      const address = canonicalIp(literal);
      const family = address.includes(":") ? 6 : 4;
      if (this.allow.allowsHost(hostname, port) || this.allow.allowsAddress(address, port)) return [{ address, family }];
      const kind = blockedKind(literal);
      if (kind) throw blocked(host, address, kind);
      return [{ address, family }];
    }
    if (!hostname) throw new NodeError("the URL has no host", { code: "URL_INVALID", hint: "check the URL" });
    const trustedName = this.allow.allowsHost(hostname, port);
    if (!trustedName && METADATA_HOSTNAMES.has(hostname)) throw blocked(host, null, "cloud metadata");
    let records: ResolvedAddress[];
    try {
      records = await this.lookup(hostname);
    } catch (error) {
      throw netError(error, host);
    }
    if (records.length === 0)
      throw new NodeError(`the host name "${host}" does not resolve to any address`, { code: "DNS", hint: "check the host name in the URL" });
    if (trustedName) return records;
    for (const record of records) {
      const ip = parseIp(record.address);
      if (!ip) throw blocked(host, record.address, "unparseable");
      if (this.allow.allowsAddress(record.address, port)) continue;
      const kind = blockedKind(ip);
      if (kind) throw blocked(host, canonicalIp(ip), kind);
    }
    return records;
  }

  async resolve(host: string, port: number): Promise<string> {
    const [first] = await this.addresses(host, port);
    return first!.address;
  }
}

function blocked(host: string, address: string | null, kind: string): NodeError {
  const where = address && address !== host.replace(/^\[|\]$/g, "") ? `${host} (${address})` : host;
  return new NodeError(`outbound request to ${where} refused: it is a ${kind} address`, {
    code: "OUTBOUND_BLOCKED",
    hint: ALLOW_HINT,
  });
}
