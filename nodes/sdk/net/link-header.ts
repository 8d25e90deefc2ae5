/**
 * The `rel="next"` target of an RFC 8288 Link header, resolved against the request URL.
 * Hand-written: the grammar needed (comma-separated `<uri>; param=value` with quoted values that
 * may contain commas) is a dozen lines, not worth a dependency.
 */
export function nextLink(header: string | undefined, base: string): string | null {
  if (!header) return null;
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,"=\s]+\s*=\s*(?:"[^"]*"|[^;,\s]*))*)/g;
  for (const match of header.matchAll(pattern)) {
    const params = match[2] ?? "";
    for (const param of params.matchAll(/;\s*([^;,"=\s]+)\s*=\s*("([^"]*)"|[^;,\s]*)/g)) {
      if (param[1]!.toLowerCase() !== "rel") continue;
      const rels = (param[3] ?? param[2] ?? "").toLowerCase().split(/\s+/);
      if (rels.includes("next")) {
        try {
          return new URL(match[1]!, base).href;
        } catch {
          return null;
        }
      }
    }
  }
  return null;
}
