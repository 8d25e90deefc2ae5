import { defineNode, z } from "../sdk";

export const WEBHOOK_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

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
    })
    .strict(),
  run: ({ items }) => ({ main: items }),
});
