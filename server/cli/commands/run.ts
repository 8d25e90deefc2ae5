import { compileFlow, FlowInvalidError } from "../../engine/flow/compile";
import { runFlow } from "../../engine/interpreter";
import { createHostFactory } from "../../engine/host";
import { loadDefaultRegistry } from "../../engine/registry";
import { resolveDataDir } from "../../env";
import { vaultResolver } from "../../vault";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { readJson, toItems } from "../io";
import { printProblems, runJson, runText } from "../output";

export const runCommand: Command = {
  summary: "test-run a flow on a payload (destinations dry-run unless --live)",
  usage: "run <flow.json> [--input <file.json>|-] [--live] [--json] [--trigger <node id>] [--data ./data]",
  options: {
    data: { type: "string" },
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
    // Credentials and files come from a data folder only when asked: a plain `gate run` touches no database.
    const services = typeof values.data === "string" ? await openServicesFor(values.data) : undefined;
    const record = await runFlow(flow, {
      credentials: services ? vaultResolver(services.vault) : undefined,
      host: services ? createHostFactory({ gdb: services.gdb, filesDir: services.filesDir, network: services.network }).test() : undefined,
      input,
      mode: "test",
      live: values.live === true,
      trigger: typeof values.trigger === "string" ? values.trigger : undefined,
      pinned: flow.flow.tests?.pinned,
    });
    services?.close();
    if (values.json) process.stdout.write(`${JSON.stringify(runJson(record))}\n`);
    else {
      const leaves = flow.order.filter((id) => !flow.targets.has(id));
      process.stdout.write(runText(record, leaves));
    }
    return record.status === "success" ? 0 : 1;
  },
};

async function openServicesFor(dir: string) {
  const { openServices } = await import("../../services");
  return openServices(resolveDataDir(dir));
}
