import { defineNode, exprable, z } from "../sdk";

export default defineNode({
  type: "respond",
  version: 1,
  category: "destination",
  title: "Respond to webhook",
  description:
    "Answers the webhook caller synchronously. The body is the items (one item as an object, several as an array) unless a body is set.",
  config: z
    .object({
      status: z.number().int().min(100).max(599).default(200).meta({ title: "Status code" }),
      headers: z.record(z.string(), z.string()).default({}).meta({ title: "Headers" }),
      body: exprable(z.unknown()).optional().meta({ title: "Body", description: "Literal JSON or an expression over the first item" }),
    })
    .strict(),
  run: ({ items, config, ctx }) => {
    const body = config.body !== undefined ? config.body : items.length === 1 ? items[0] : items;
    ctx.respond({ status: config.status, headers: { "content-type": "application/json", ...config.headers }, body });
    return { main: items };
  },
});
