/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run, as one table.
 * `npm run bench -- interpreter` runs one suite.
 */
import { benchWebhook } from "./webhook";
import { benchInterpreter } from "./interpreter";
import { benchStreaming } from "./streaming";
import { benchBulk } from "./bulk";
import { printTable, type BenchRow } from "./table";

const suites: Record<string, () => Promise<BenchRow[]> | BenchRow[]> = {
  interpreter: benchInterpreter,
  streaming: benchStreaming,
  bulk: benchBulk,
  webhook: benchWebhook,
  editor: async () => (await import("./editor")).benchEditor(),
};

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await suite()));
}
process.stdout.write(`${printTable(rows)}\n`);
