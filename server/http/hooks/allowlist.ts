import ipaddr from "ipaddr.js";

/**
 * A matcher for the endpoint's IP allowlist. IPv4 clients reaching a dual-stack socket appear as
 * IPv4-mapped IPv6 (::ffff:192.0.2.1); they are compared as the IPv4 address they are.
 */
export function ipMatcher(entries: readonly string[]): (address: string) => boolean {
  const ranges = entries.map((entry) => (entry.includes("/") ? ipaddr.parseCIDR(entry) : single(entry)));
  return (address) => {
    if (!ipaddr.isValid(address)) return false;
    const parsed = ipaddr.process(address);
    return ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
  };
}

function single(address: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const parsed = ipaddr.process(address);
  return [parsed, parsed.kind() === "ipv4" ? 32 : 128];
}
