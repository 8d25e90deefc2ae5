import { loadDefaultRegistry } from "../../engine/registry";
import { validateFlow } from "../../engine/flow/validate";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { readJson } from "../io";
import { printProblems } from "../output";

export const validateCommand: Command = {
  summary: "check a flow; prints `valid` or every problem (exit 2)",
  usage: "validate <flow.json>...",
  options: {},
  async run({ positionals }) {
    if (!positionals.length) throw new UsageError("name the flow file to validate");
    const registry = await loadDefaultRegistry();
    // Every file named is checked: `gate validate a.json b.json` must not call b valid unread.
    let valid = true;
    for (const file of positionals) {
      const result = validateFlow(await readJson(file), registry);
      if (result.ok) continue;
      printProblems(file, result.problems);
      valid = false;
    }
    if (!valid) return 2;
    process.stdout.write("valid\n");
    return 0;
  },
};
