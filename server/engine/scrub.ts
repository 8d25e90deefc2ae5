/**
 * The last line of defence for secrets in run data: an outside API may echo a token back in its
 * answer, and that answer becomes items, samples and errors. Every string a run records (and the
 * webhook answer it gives) is scrubbed of the values of the credentials that run resolved.
 */
import { REDACTED } from "../../nodes/sdk";

/** Only secrets long enough to be meaningful: replacing "a" everywhere would destroy data. */
const MIN_SECRET = 6;

export function scrubSecrets<T>(value: T, secrets: ReadonlySet<string>): T {
  const list = [...secrets].filter((s) => s.length >= MIN_SECRET);
  if (!list.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      let out = v;
      for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[walk(k) as string] = walk(item);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
