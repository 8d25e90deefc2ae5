import { compileFlow, FlowInvalidError, type CompiledFlow } from "../../engine/flow/compile";
import { createHostFactory } from "../../engine/host";
import { loadDefaultRegistry } from "../../engine/registry";
import { caseProblems, runCases, type CaseResult } from "../../engine/test-cases";
import { resolveDataDir } from "../../env";
import { vaultResolver } from "../../vault";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { readJson } from "../io";
import { printProblems } from "../output";

/** Differences printed per failing case; the rest are counted (all of them are in --json). */
const SHOWN_DIFFERENCES = 30;

interface FileReport {
  file: string;
  flow?: string;
  /** Not a flow document (a sample payload beside the flows): skipped, not failed. */
  skipped?: string;
  problems?: { path: string; message: string }[];
  cases: CaseResult[];
}

export const testCommand: Command = {
  summary: "run the test cases saved in flows; exit 1 on any difference",
  usage: "test <flow.json>... [--case <name>] [--json] [--data ./data]",
  options: {
    case: { type: "string" },
    json: { type: "boolean", default: false },
    data: { type: "string" },
  },
  async run({ positionals, values }) {
    if (positionals.length === 0) throw new UsageError("name the flow file(s) to test");
    const only = typeof values.case === "string" ? values.case : undefined;
    const registry = await loadDefaultRegistry();
    // Credentials and files come from a data folder only when asked, as for `gate run`.
    const services = typeof values.data === "string" ? await openServicesFor(values.data) : undefined;
    const reports: FileReport[] = [];
    try {
      for (const file of positionals) {
        const raw = await readJson(file);
        if (!looksLikeFlow(raw)) {
          reports.push({ file, skipped: "not a flow document", cases: [] });
          continue;
        }
        let flow: CompiledFlow;
        try {
          flow = compileFlow(raw, registry);
        } catch (error) {
          if (!(error instanceof FlowInvalidError)) throw error;
          reports.push({ file, problems: error.problems, cases: [] });
          continue;
        }
        const problems = caseProblems(flow.flow, registry);
        if (problems.length) {
          reports.push({ file, flow: flow.flow.name, problems, cases: [] });
          continue;
        }
        const cases = await runCases(flow, {
          only,
          credentials: services ? vaultResolver(services.vault) : undefined,
          host: services ? createHostFactory({ gdb: services.gdb, filesDir: services.filesDir, network: services.network }).test() : undefined,
        });
        reports.push({ file, flow: flow.flow.name, cases });
      }
    } finally {
      services?.close();
    }
    const tested = reports.filter((r) => !r.skipped);
    if (tested.length === 0) throw new UsageError("none of the files is a flow document");
    if (only !== undefined && !reports.some((r) => r.cases.length) && !reports.some((r) => r.problems))
      throw new UsageError(`no flow has a test case named "${only}"`);

    const invalid = reports.some((r) => r.problems);
    const failed = reports.some((r) => r.cases.some((c) => !c.passed));
    if (values.json) process.stdout.write(`${JSON.stringify(jsonReport(reports))}\n`);
    else {
      for (const r of reports) if (r.problems) printProblems(r.file, r.problems);
      process.stdout.write(textReport(reports));
    }
    return invalid ? 2 : failed ? 1 : 0;
  },
};

/** A sample payload has neither; a flow with mistakes in it still has one of them. */
function looksLikeFlow(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw) && ("schemaVersion" in raw || "nodes" in raw);
}

function textReport(reports: FileReport[]): string {
  const out: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const r of reports) {
    if (r.skipped) {
      out.push(`- ${r.file}: skipped (${r.skipped})`);
      continue;
    }
    if (r.problems) {
      out.push(`✗ ${r.file}: invalid, cases not run (${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}, above)`);
      continue;
    }
    out.push(`${r.file} (${r.flow})${r.cases.length ? "" : ": no saved test cases"}`);
    for (const c of r.cases) {
      const pinned = c.pinned.length ? `  [pinned: ${c.pinned.join(", ")}]` : "";
      if (c.passed) {
        passed++;
        out.push(`  ✓ ${c.name}${pinned}`);
        continue;
      }
      failed++;
      out.push(`  ✗ ${c.name}${pinned}`);
      for (const d of c.differences.slice(0, SHOWN_DIFFERENCES)) out.push(`      ${d.path}: ${d.message}`);
      if (c.differences.length > SHOWN_DIFFERENCES) out.push(`      … and ${c.differences.length - SHOWN_DIFFERENCES} more (--json lists all)`);
    }
  }
  out.push(`${passed} passed, ${failed} failed`);
  return `${out.join("\n")}\n`;
}

function jsonReport(reports: FileReport[]) {
  const cases = reports.flatMap((r) => r.cases);
  return {
    passed: cases.filter((c) => c.passed).length,
    failed: cases.filter((c) => !c.passed).length,
    files: reports.map((r) => ({
      file: r.file,
      ...(r.flow ? { flow: r.flow } : {}),
      ...(r.skipped ? { skipped: r.skipped } : {}),
      ...(r.problems ? { problems: r.problems } : {}),
      cases: r.cases.map((c) => ({ name: c.name, passed: c.passed, status: c.status, pinned: c.pinned, durationMs: c.durationMs, differences: c.differences })),
    })),
  };
}

async function openServicesFor(dir: string) {
  const { openServices } = await import("../../services");
  return openServices(resolveDataDir(dir));
}
