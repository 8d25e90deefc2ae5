#!/usr/bin/env node
// The `gate` command. Gate is written in TypeScript and runs from source through tsx,
// so `npx gate …` works from a fresh clone without a compile step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../server/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
