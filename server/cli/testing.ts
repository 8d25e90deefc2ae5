// The `gate` CLI in a child process, as people run it: for the CLI's own tests.
import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Every spawn is a fresh Node process loading TypeScript through tsx (about a CPU-second): the tests
// run concurrently, but only a few processes at a time, so that they do not thrash a small machine.
const SLOTS = Math.max(2, Math.min(os.availableParallelism(), 4));
let busy = 0;
const waiting: (() => void)[] = [];

/** Run `gate …` from the repository root; `stdin` is written to its standard input (else it is closed). */
export async function gate(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Result> {
  if (busy >= SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else busy++;
  try {
    return await spawnGate(args, options);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else busy--;
  }
}

function spawnGate(args: string[], options: { stdin?: string; env?: Record<string, string> }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/gate.js", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}
