#!/usr/bin/env node
// `npm test`: every check, in the order that fails fastest. `npm test -- unit` runs only unit tests.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv[2];

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".") || name === "data" || name === "e2e") continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith(".test.ts")) out.push(path.relative(root, full));
  }
  return out;
}

function run(title, command, args, env = {}) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);
const unitFiles = ["server", "nodes", "bench", "scripts"].filter((d) => existsSync(path.join(root, d))).flatMap((d) => findTests(path.join(root, d)));

if (!only) {
  run("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);
  run("lint", bin("eslint"), ["."]);
  run("architecture rules", bin("depcruise"), ["--config", ".dependency-cruiser.cjs", "server", "nodes", "app", "bin"]);
}
if (!only || only === "unit") {
  run("unit and integration tests", process.execPath, ["--no-node-snapshot", "--import", "tsx", "--test", "--test-reporter=spec", ...unitFiles], {
    GATE_LOG_LEVEL: process.env.GATE_LOG_LEVEL ?? "silent",
  });
}
if ((!only || only === "e2e") && existsSync(path.join(root, "e2e")) && readdirSync(path.join(root, "e2e")).some((f) => f.endsWith(".spec.ts"))) {
  run("end-to-end tests (Chromium)", bin("playwright"), ["test"]);
}
