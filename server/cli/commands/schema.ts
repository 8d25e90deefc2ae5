import { z } from "zod";
import { FlowDoc } from "../../engine/flow/schema";
import { loadDefaultRegistry } from "../../engine/registry";
import type { Command } from "../command";
import { UsageError } from "../errors";

export const schemaCommand: Command = {
  summary: "print the JSON Schema of the flow format (or of one node's config)",
  usage: "schema [--node <type>]",
  options: { node: { type: "string" } },
  async run({ values }) {
    const type = values.node;
    if (typeof type === "string") {
      const registry = await loadDefaultRegistry();
      const schema = registry.configSchema(type);
      if (!schema) throw new UsageError(`unknown node type "${type}"`);
      process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
      return 0;
    }
    const schema = z.toJSONSchema(FlowDoc, { io: "input", unrepresentable: "any" });
    process.stdout.write(`${JSON.stringify({ ...schema, title: "Gate flow (schemaVersion 1)" }, null, 2)}\n`);
    return 0;
  },
};
