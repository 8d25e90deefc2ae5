import { compileFlow, FlowInvalidError } from "../../engine/flow/compile";
import { runFlow } from "../../engine/interpreter";
import { loadDefaultRegistry } from "../../engine/registry";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { readJson, toItems } from "../io";
import { printProblems, runJson, runText } from "../output";

export const runCommand: Command = {
  summary: "test-run a flow on a payload (destinations dry-run unless --live)",
  usage: "run <flow.json> [--input <file.json>|-] [--live] [--json] [--trigger <node id>]",
  options: {
    input: { type: "string", short: "i" },
    live: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    trigger: { type: "string" },
  },
  async run({ positionals, values }) {
    const [file] = positionals;
    if (!file) throw new UsageError("name the flow file to run");
    const registry = await loadDefaultRegistry();
    const raw = await readJson(file);
    const input = typeof values.input === "string" ? toItems(await readJson(values.input), values.input === "-" ? "stdin" : values.input) : [{}];
    let flow;
    try {
      flow = compileFlow(raw, registry);
    } catch (error) {
      if (!(error instanceof FlowInvalidError)) throw error;
      printProblems(file, error.problems);
      return 2;
    }
    const record = await runFlow(flow, {
      input,
      mode: "test",
      live: values.live === true,
      trigger: typeof values.trigger === "string" ? values.trigger : undefined,
      pinned: flow.flow.tests?.pinned,
    });
    if (values.json) process.stdout.write(`${JSON.stringify(runJson(record))}\n`);
    else {
      const leaves = flow.order.filter((id) => !flow.targets.has(id));
      process.stdout.write(runText(record, leaves));
    }
    return record.status === "success" ? 0 : 1;
  },
};
