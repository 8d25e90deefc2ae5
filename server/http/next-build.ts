import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const STAMP = ".next/gate-build-stamp";

/** A fingerprint of everything the UI bundle is built from, to rebuild only when it changed. */
function sourceFingerprint(root: string): string {
  const hash = createHash("sha256");
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const stat = statSync(full);
      if (stat.isDirectory()) visit(full);
      else hash.update(`${path.relative(root, full)}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  visit(path.join(root, "app"));
  for (const file of ["package-lock.json", "next.config.ts", "tsconfig.json", "server/api/root.ts"]) {
    const full = path.join(root, file);
    if (existsSync(full)) hash.update(`${file}:${statSync(full).mtimeMs}\n`);
  }
  return hash.digest("hex");
}

/**
 * `npm start` on a fresh clone must just work, so the production UI is built on first start (and
 * again whenever its sources change) instead of asking people to remember `next build`.
 */
export function ensureNextBuild(root: string): void {
  const fingerprint = sourceFingerprint(root);
  const stampFile = path.join(root, STAMP);
  const built = existsSync(path.join(root, ".next/BUILD_ID")) && existsSync(stampFile);
  if (built && readFileSync(stampFile, "utf8") === fingerprint) return;
  process.stdout.write("Building the web UI (first start or UI changed; this takes a minute)…\n");
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`building the web UI failed (next build exited ${result.status ?? result.signal})`);
  writeFileSync(stampFile, fingerprint);
}
