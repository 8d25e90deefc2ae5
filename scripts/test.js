#!/usr/bin/env node
// `npm test`: every check, in the order that fails fastest. `npm test -- unit` runs only unit tests.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
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

function run(title, command, args, env = {}, count = () => {}) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (existsSync(reports)) {
    try {
      count();
    } catch {
      // A suite that crashed before reporting has no counts; its exit code speaks for it.
    }
  }
  if (result.status !== 0) {
    console.log(`\nall tests: ${totals.passed} passed, ${totals.failed || 1} failed, ${totals.skipped} skipped`);
    console.error(`\n✖ ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);
const reports = path.join(root, "test-results");
mkdirSync(reports, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

/** Add the counts of node's TAP summary (`# pass N`). */
function countTap(file) {
  const text = readFileSync(file, "utf8");
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  totals.passed += count("pass");
  totals.failed += count("fail") + count("cancelled");
  totals.skipped += count("skipped") + count("todo");
}

/** Add the counts of Playwright's JSON report. */
function countPlaywright(file) {
  const { stats } = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
}
const unitFiles = ["server", "nodes", "bench", "scripts"].filter((d) => existsSync(path.join(root, d))).flatMap((d) => findTests(path.join(root, d)));

if (!only) {
  run("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);
  run("lint", bin("eslint"), ["."]);
  run("architecture rules", bin("depcruise"), ["--config", ".dependency-cruiser.cjs", "server", "nodes", "app", "bin"]);
}
if (!only || only === "unit") {
  const tap = path.join(reports, "unit.tap");
  rmSync(tap, { force: true });
  run(
    "unit and integration tests",
    process.execPath,
    ["--no-node-snapshot", "--import", "tsx", "--test", "--test-timeout=120000", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", `--test-reporter-destination=${tap}`, ...unitFiles],
    { GATE_LOG_LEVEL: process.env.GATE_LOG_LEVEL ?? "silent" },
    () => countTap(tap),
  );
}
if ((!only || only === "e2e") && existsSync(path.join(root, "e2e")) && readdirSync(path.join(root, "e2e")).some((f) => f.endsWith(".spec.ts"))) {
  const json = path.join(reports, "e2e.json");
  rmSync(json, { force: true });
  run("end-to-end tests (Chromium)", bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: json }, () => countPlaywright(json));
}
// One closing line over every suite, in the plain form CI tools read.
console.log(`\nall tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
