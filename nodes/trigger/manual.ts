import { defineNode, z } from "../sdk";

export default defineNode({
  type: "trigger.manual",
  version: 1,
  category: "trigger",
  title: "Manual trigger",
  description: "Starts the flow by hand (the Run button, `gate run`) with a sample payload.",
  config: z.object({}).strict(),
  // A manual trigger may sit next to the flow's real trigger, to test from a fixed payload.
  multiple: true,
  run: ({ items }) => ({ main: items }),
});
