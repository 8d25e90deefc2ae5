import { credentialRef, defineNode, z } from "../sdk";
import { HMAC_DEFAULT_HEADER, SIGNATURE_HEADERS, SIGNATURE_SCHEMES, candidateSecrets, verifiers } from "./signatures";

const Config = z
  .object({
    scheme: z.enum(SIGNATURE_SCHEMES).meta({
      title: "Scheme",
      description: "hmac-sha256 (generic), standard-webhooks (Svix, Resend, …), stripe, github or slack",
    }),
    credential: credentialRef().meta({ title: "Webhook secret", description: "A credential of kind webhookSecret" }),
    header: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "a header name: letters, digits and -")
      .optional()
      .meta({ title: "Signature header", description: `hmac-sha256 only (default ${HMAC_DEFAULT_HEADER})` }),
    prefix: z.string().max(40).default("").meta({ title: "Signature prefix", description: 'hmac-sha256 only, e.g. "sha256="' }),
    encoding: z.enum(["hex", "base64"]).default("hex").meta({ title: "Signature encoding", description: "hmac-sha256 only" }),
    toleranceSeconds: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(300)
      .meta({ title: "Timestamp tolerance (s)", description: "Older deliveries are refused as replays (stripe, slack, standard-webhooks)" }),
  })
  .strict();

/**
 * Verifies a webhook's signature. The check itself runs in webhook ingress, over the raw body and
 * before the request is stored (`ingress.verify`), which is why this node must sit directly after
 * the webhook trigger; inside the run, items have already passed and go straight through.
 */
export default defineNode({
  type: "auth.verifySignature",
  version: 1,
  category: "auth",
  title: "Verify webhook signature",
  description:
    "Refuses webhook requests whose signature does not match (401, no run). Place it directly after the webhook trigger. Supports a generic HMAC-SHA256 header, Standard Webhooks, Stripe, GitHub and Slack, with a timestamp tolerance against replays and the previous secret accepted during a rotation.",
  config: Config,
  credential: { kinds: ["webhookSecret"], required: true },
  ingress: {
    verify({ config, credential, request }) {
      return verifiers[config.scheme](request, candidateSecrets(credential, request.now), config);
    },
    secretHeaders(config) {
      return config.scheme === "hmac-sha256" ? [(config.header ?? HMAC_DEFAULT_HEADER).toLowerCase()] : SIGNATURE_HEADERS[config.scheme];
    },
  },
  run: ({ items }) => ({ main: items }),
});
