import { writeFile } from "node:fs/promises";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { readJson } from "../io";
import { printProblems } from "../output";
import { resolveDataDir } from "../../env";

export const flowsCommand: Command = {
  summary: "import, export or list flows in a data folder",
  usage: "flows import <flow.json> [--activate] | export <id|name> [file] | list  [--data ./data]",
  options: {
    data: { type: "string" },
    activate: { type: "boolean", default: false },
  },
  async run({ positionals, values }) {
    const [action, target, file] = positionals;
    const { openServices } = await import("../../services");
    const services = await openServices(resolveDataDir(typeof values.data === "string" ? values.data : undefined));
    try {
      switch (action) {
        case "import": {
          if (!target) throw new UsageError("name the flow file to import");
          const result = services.flows.importFlow(await readJson(target), { activate: values.activate === true });
          if (!result.ok) {
            printProblems(target, result.problems);
            return 2;
          }
          process.stdout.write(`imported "${result.flow.name}" as ${result.flow.id} (version ${result.flow.version}${result.flow.active ? ", active" : ""})\n`);
          return 0;
        }
        case "export": {
          if (!target) throw new UsageError("name the flow (id or name) to export");
          const flow = services.flows.get(target);
          if (!flow) throw new UsageError(`no flow "${target}" in ${services.dataDir}`);
          const json = `${JSON.stringify(flow.doc, null, 2)}\n`;
          if (file) await writeFile(file, json);
          else process.stdout.write(json);
          return 0;
        }
        case "list": {
          for (const f of services.flows.list())
            process.stdout.write(`${f.id}  ${f.active ? "active  " : "inactive"}  v${f.version}  ${f.name}\n`);
          return 0;
        }
        default:
          throw new UsageError(action ? `unknown action "${action}"` : "say import, export or list");
      }
    } finally {
      services.close();
    }
  },
};
