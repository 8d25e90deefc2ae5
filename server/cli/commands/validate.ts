import { loadDefaultRegistry } from "../../engine/registry";
import { validateFlow } from "../../engine/flow/validate";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { readJson } from "../io";
import { printProblems } from "../output";

export const validateCommand: Command = {
  summary: "check a flow; prints `valid` or every problem (exit 2)",
  usage: "validate <flow.json>",
  options: {},
  async run({ positionals }) {
    const [file] = positionals;
    if (!file) throw new UsageError("name the flow file to validate");
    const result = validateFlow(await readJson(file), await loadDefaultRegistry());
    if (result.ok) {
      process.stdout.write("valid\n");
      return 0;
    }
    printProblems(file, result.problems);
    return 2;
  },
};
