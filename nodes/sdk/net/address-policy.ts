import ipaddr from "ipaddr.js";

/**
 * Which IP addresses an outbound request may reach. Classification is ipaddr.js's (a small,
 * well-kept library that also parses every legacy IPv4 spelling: `127.1`, `0x7f.1`, `0177.0.0.1`,
 * `2130706433`). The rule is a whitelist: only ordinary public unicast is allowed; every special
 * range ipaddr.js knows — and the few it does not — is refused with a plain name for its kind.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Plain-language names for the kinds of address that are refused. */
const KIND_NAMES: Record<string, string> = {
  unspecified: "unspecified (0.0.0.0 / ::)",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local",
  loopback: "loopback",
  carrierGradeNat: "carrier-grade NAT (shared)",
  private: "private network",
  uniqueLocal: "unique-local (private IPv6)",
  deprecatedSiteLocal: "site-local (private IPv6)",
  reserved: "reserved",
  metadata: "cloud metadata",
};

/** Instance metadata endpoints: they hand out cloud credentials, so they get their own name. */
const METADATA_ADDRESSES = new Set([
  "169.254.169.254", // AWS, GCP, Azure, DigitalOcean, OpenStack
  "169.254.170.2", // AWS ECS task metadata
  "100.100.100.200", // Alibaba Cloud
  "192.0.0.192", // Oracle Cloud
  "fd00:ec2::254", // AWS IPv6
]);

/** Host names of metadata services, refused before any DNS lookup. */
export const METADATA_HOSTNAMES = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.azure.internal",
]);

/** Special-purpose IPv4 blocks ipaddr.js 2.5 reports as plain unicast. */
const EXTRA_BLOCKED_V4: [Address, number, string][] = [
  [ipaddr.parse("192.0.0.0"), 24, "reserved"], // IETF protocol assignments (incl. Oracle metadata)
  [ipaddr.parse("198.18.0.0"), 15, "reserved"], // benchmarking
];

/** Parse an IP literal in any spelling (brackets allowed around IPv6), or null if `host` is not one. */
export function parseIp(host: string): Address | null {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  // A zone id (`fe80::1%eth0`) is refused by ipaddr.isValid; strip it, the address decides.
  const unzoned = bare.includes("%") ? bare.slice(0, bare.indexOf("%")) : bare;
  if (!ipaddr.isValid(unzoned)) return null;
  // ipaddr.js accepts bare decimals like "80" as IPv4 (0.0.0.80); a DNS name never looks like that
  // except pure digits, which WHATWG URL also treats as an IPv4 number, so the reading agrees.
  return ipaddr.parse(unzoned);
}

/** The canonical text of an address (IPv4-mapped IPv6 shown as IPv4). */
export function canonicalIp(address: Address): string {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress())
    return (address as ipaddr.IPv6).toIPv4Address().toString();
  return address.toString();
}

/**
 * The kind of a refused address in plain words, or null when the address is public unicast.
 * Addresses that embed an IPv4 (mapped, NAT64) are judged by that IPv4.
 */
export function blockedKind(address: Address): string | null {
  const text = address.toString();
  if (METADATA_ADDRESSES.has(text)) return KIND_NAMES.metadata!;
  if (address.kind() === "ipv6") {
    const v6 = address as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return blockedKind(v6.toIPv4Address());
    const range = v6.range();
    if (range === "rfc6052" || range === "rfc6145") return blockedKind(embeddedV4(v6));
    if (range === "unicast") return null;
    return KIND_NAMES[range] ?? `special-purpose (${range})`;
  }
  const range = address.range();
  if (range === "unicast") {
    for (const [net, bits, kind] of EXTRA_BLOCKED_V4) if (address.match(net, bits)) return KIND_NAMES[kind]!;
    return null;
  }
  return KIND_NAMES[range] ?? `special-purpose (${range})`;
}

/** The IPv4 in the last 32 bits of a NAT64 / SIIT address. */
function embeddedV4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  return ipaddr.fromByteArray(bytes.slice(12)) as ipaddr.IPv4;
}
