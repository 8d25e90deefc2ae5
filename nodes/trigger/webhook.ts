import { Ajv } from "ajv";
import ipaddr from "ipaddr.js";
import { credentialRef, defineNode, z } from "../sdk";

export const WEBHOOK_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const HEADER_NAME = /^[A-Za-z0-9-]+$/;
const headerName = () => z.string().regex(HEADER_NAME, "a header name: letters, digits and -");

const Auth = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("none") }).strict(),
    z
      .object({
        type: z.literal("apiKey"),
        header: headerName().default("X-API-Key").meta({ title: "Header" }),
        credential: credentialRef().meta({ description: "A credential of kind apiKey: its key is the expected header value" }),
      })
      .strict(),
    z
      .object({
        type: z.literal("basic"),
        credential: credentialRef().meta({ description: "A credential of kind basic: the expected user name and password" }),
      })
      .strict(),
  ])
  .default({ type: "none" })
  .meta({ title: "Authentication", description: "Checked before anything is stored; a failure is answered 401" });

// Only used to check that a schema compiles when the flow is saved; ingress compiles its own.
const schemaChecker = new Ajv({ allErrors: true, strict: false });

const JsonSchema = z
  .record(z.string(), z.unknown())
  .superRefine((schema, ctx) => {
    try {
      schemaChecker.compile(schema);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `the JSON Schema is not valid: ${(error as Error).message}` });
    }
  })
  .meta({ title: "Payload schema", description: "JSON Schema the parsed body must match; violations are answered 400" });

const Cidr = z
  .string()
  .refine((value) => ipaddr.isValidCIDR(value) || ipaddr.isValid(value), "an IP address or CIDR range, e.g. 192.0.2.0/24 or 2001:db8::/32");

export default defineNode({
  type: "trigger.webhook",
  version: 1,
  category: "trigger",
  title: "Webhook",
  description:
    "Starts the flow when an HTTP request arrives at /hooks/<path>. Each item is the request body (an array body gives one item per element); the request itself is `$request` in expressions.",
  config: z
    .object({
      path: z
        .string()
        .regex(/^[a-zA-Z0-9][a-zA-Z0-9/_.-]{0,199}$/, "use letters, digits, / _ . - (no leading slash)")
        .refine((p) => p.split("/").every((segment) => segment !== "" && segment !== "." && segment !== ".."), "no empty, `.` or `..` segments in a webhook path")
        .meta({ title: "Path", description: "The URL is /hooks/<path>" }),
      method: z.enum(WEBHOOK_METHODS).default("POST").meta({ title: "HTTP method" }),
      responseMode: z
        .enum(["acknowledge", "respondNode"])
        .default("acknowledge")
        .meta({
          title: "Response",
          description: "Acknowledge with 202 once the event is stored, or answer from a Respond node",
        }),
      respondTimeoutMs: z
        .number()
        .int()
        .min(100)
        .max(300_000)
        .default(30_000)
        .meta({ title: "Respond timeout (ms)", description: "With a Respond node: answer 504 when the flow has not answered by then" }),
      auth: Auth,
      ipAllowlist: z
        .array(Cidr)
        .max(200)
        .optional()
        .meta({ title: "IP allowlist", description: "Only these addresses or CIDR ranges may call; others get 403" }),
      maxBodyBytes: z
        .number()
        .int()
        .min(1)
        .max(64 * 1024 * 1024)
        .default(1024 * 1024)
        .meta({ title: "Body size limit (bytes)", description: "Larger bodies are answered 413" }),
      schema: JsonSchema.optional(),
      rateLimit: z
        .object({
          requests: z.number().int().min(1).max(1_000_000),
          perSeconds: z.number().int().min(1).max(86_400),
        })
        .strict()
        .optional()
        .meta({ title: "Rate limit", description: "At most `requests` per `perSeconds` on this endpoint; more are answered 429 with Retry-After" }),
      idempotencyHeader: headerName()
        .optional()
        .meta({
          title: "Delivery id header",
          description: "A redelivery with the same value is acknowledged again without a second run (webhook-id, X-GitHub-Delivery and Stripe event ids are recognised without it)",
        }),
      dedupeBodySeconds: z
        .number()
        .int()
        .min(1)
        .max(86_400)
        .optional()
        .meta({
          title: "Deduplicate identical bodies (s)",
          description: "For senders without a delivery id: an identical body within this window counts as a redelivery",
        }),
    })
    .strict(),
  run: ({ items }) => ({ main: items }),
});
