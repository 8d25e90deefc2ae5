// vm2 (and every fork of it) is abandoned after sandbox escapes that cannot be fixed in its
// design; the code node must never come to depend on one, directly or through another package.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `vm2`, `@n8n/vm2`, `vm2-fork`, `safe-vm2`…: vm2 as a word of the package's own name. */
function isVm2(name: string): boolean {
  const own = name.split("/").pop() ?? name;
  return /(^|[-_.])vm2([-_.]|$)/i.test(own);
}

/** Every package name installed under `dir`, nested node_modules included. */
function installed(dir: string, found: string[] = []): string[] {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const scoped = entry.name.startsWith("@");
    const names = scoped
      ? readdirSync(path.join(dir, entry.name), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${entry.name}/${e.name}`)
      : [entry.name];
    for (const name of names) {
      found.push(name);
      installed(path.join(dir, name, "node_modules"), found);
    }
  }
  return found;
}

describe("no vm2 anywhere", () => {
  test("the matcher knows vm2 and its forks, and nothing else", () => {
    for (const name of ["vm2", "@n8n/vm2", "vm2-fork", "VM2", "safe-vm2", "@scope/vm2.patched"]) assert.ok(isVm2(name), name);
    for (const name of ["isolated-vm", "vm-browserify", "fvm20", "@vm2x/tool", "jsonata"]) assert.ok(!isVm2(name), name);
  });

  test("package-lock.json names no vm2 package", () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages?: Record<string, { name?: string }> };
    const packages = Object.entries(lock.packages ?? {});
    assert.ok(packages.length > 10, "package-lock.json lists no packages");
    const offenders = packages
      .flatMap(([where, info]) => [where.split("node_modules/").pop() ?? "", info.name ?? ""])
      .filter((name) => name && isVm2(name));
    assert.deepEqual(offenders, []);
  });

  test("node_modules holds no vm2 package", () => {
    const names = installed(path.join(ROOT, "node_modules"));
    assert.ok(names.includes("isolated-vm"), "node_modules was not read");
    assert.deepEqual(names.filter(isVm2), []);
  });
});
