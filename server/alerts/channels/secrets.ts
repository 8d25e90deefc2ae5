/**
 * Secrets a sender resolved from the vault, and the scrubbing that keeps them out of anything it
 * reports: a transport's error text can echo what it was given (a URL, a login line), so every
 * message leaving a sender passes through `scrub` with the secrets that sender used.
 */
import type { Credential } from "../../../nodes/sdk";

/** The vault's way in, as the senders need it. */
export interface SecretSource {
  resolve(ref: string): Credential;
}

/**
 * Every string value of a credential (current and previous), longest first so overlaps scrub fully.
 * Values under four characters are left out: scrubbing them would shred ordinary words in the
 * message while protecting a secret nobody should be using.
 */
export function secretValues(credential: Credential): string[] {
  const values = [credential.data, credential.previous?.data ?? {}].flatMap((data) =>
    Object.values(data).filter((v): v is string => typeof v === "string" && v.length >= 4),
  );
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("***");
  return out;
}
