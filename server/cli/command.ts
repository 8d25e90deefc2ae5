import type { ParseArgsConfig } from "node:util";

/** One `gate <name>` command: its help line, its options and what it does. */
export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(args: { positionals: string[]; values: Record<string, string | boolean | (string | boolean)[] | undefined> }): Promise<number>;
}
