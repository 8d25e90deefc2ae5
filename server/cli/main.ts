import { parseArgs } from "node:util";
import type { Command } from "./command";
import { UsageError } from "./errors";
import { credentialsCommand } from "./commands/credentials";
import { flowsCommand } from "./commands/flows";
import { keysCommand } from "./commands/keys";
import { userCommand } from "./commands/user";
import { runCommand } from "./commands/run";
import { schemaCommand } from "./commands/schema";
import { startCommand } from "./commands/start";
import { validateCommand } from "./commands/validate";
import { testCommand } from "./commands/test";


const commands: Record<string, Command> = {
  validate: validateCommand,
  run: runCommand,
  schema: schemaCommand,
  start: startCommand,
  flows: flowsCommand,
  credentials: credentialsCommand,
  keys: keysCommand,
  user: userCommand,
  test: testCommand,
};

function help(): string {
  const lines = Object.values(commands).map((c) => `  gate ${c.usage.padEnd(58)} ${c.summary}`);
  return `Gate: a self-hosted integration designer\n\nUsage:\n${lines.join("\n")}\n`;
}

/** The CLI entry: returns the exit code. Errors are printed as one clear line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`gate: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    const { positionals, values } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run({ positionals, values });
  } catch (error) {
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`gate ${name}: ${(error as Error).message}\n`);
    if (isUsage) process.stderr.write(`usage: gate ${command.usage}\n`);
    return isUsage ? 2 : 1;
  }
}
