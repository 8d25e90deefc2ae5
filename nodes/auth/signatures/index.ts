import type { Credential } from "../../sdk";
import type { CandidateSecret, SchemeVerifier } from "./common";
import { verifyGithub } from "./github";
import { verifyHmacSha256 } from "./hmac-sha256";
import { verifySlack } from "./slack";
import { verifyStandardWebhooks } from "./standard-webhooks";
import { verifyStripe } from "./stripe";

export { HMAC_DEFAULT_HEADER } from "./hmac-sha256";
export type { CandidateSecret, SchemeOptions, SignatureRequest, SignatureResult } from "./common";

export const SIGNATURE_SCHEMES = ["hmac-sha256", "standard-webhooks", "stripe", "github", "slack"] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

export const verifiers: Record<SignatureScheme, SchemeVerifier> = {
  "hmac-sha256": verifyHmacSha256,
  "standard-webhooks": verifyStandardWebhooks,
  stripe: verifyStripe,
  github: verifyGithub,
  slack: verifySlack,
};

/** The headers each scheme reads that carry signatures (redacted wherever requests are recorded). */
export const SIGNATURE_HEADERS: Record<Exclude<SignatureScheme, "hmac-sha256">, readonly string[]> = {
  "standard-webhooks": ["webhook-signature"],
  stripe: ["stripe-signature"],
  github: ["x-hub-signature-256", "x-hub-signature"],
  slack: ["x-slack-signature"],
};

/**
 * The secrets a delivery may be signed with: the current one, and the previous one while its
 * rotation grace period lasts (checked here too, not only by the vault: the clock is the request's).
 */
export function candidateSecrets(credential: Credential | undefined, now: number): CandidateSecret[] {
  const secrets: CandidateSecret[] = [];
  const current = credential?.data.secret;
  if (typeof current === "string" && current) secrets.push({ value: current, which: "current" });
  const previous = credential?.previous;
  if (previous && Date.parse(previous.until) > now && typeof previous.data.secret === "string" && previous.data.secret)
    secrets.push({ value: previous.data.secret, which: "previous" });
  return secrets;
}
