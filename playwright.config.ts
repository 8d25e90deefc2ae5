import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { E2E_ADMIN, E2E_AUTH_STATE } from "./e2e/accounts";

// Playwright cannot download its own browser here: use Debian's Chromium when it is installed.
const chromium = "/usr/bin/chromium";

const MAIN = { port: 3917, data: "test-results/e2e-data" };
/** A second Gate with no user at all: the only place the first-run setup page can be tested. */
const FRESH = { port: 3918, data: "test-results/e2e-fresh-data" };

const gate = (server: { port: number; data: string }, before = "") => ({
  command: `rm -rf ${server.data} && ${before}node bin/gate.js start --port ${server.port} --data ${server.data}`,
  url: `http://127.0.0.1:${server.port}/healthz`,
  timeout: 300_000,
  reuseExistingServer: false,
  stdout: "pipe" as const,
  // 127.0.0.1 may be called by flows: the dead-letter and alert specs point a request at a closed local port.
  env: { GATE_LOG_LEVEL: "warn", GATE_KEY_FILE: `${server.data}/master.key`, GATE_ALLOW_HOSTS: "127.0.0.1" },
});

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    // Every spec starts signed in as the admin (e2e/global-setup.ts); specs about signing in clear it.
    storageState: E2E_AUTH_STATE,
    viewport: { width: 1280, height: 800 },
    launchOptions: existsSync(chromium)
      ? {
          executablePath: chromium,
          args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"],
        }
      : {},
  },
  projects: [
    { name: "main", testIgnore: /first-run\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${MAIN.port}` } },
    {
      name: "first-run",
      testMatch: /first-run\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${FRESH.port}`, storageState: { cookies: [], origins: [] } },
    },
  ],
  // Playwright starts these one after the other, so only the first builds the UI when it changed.
  // Each run starts from an empty data folder (removed here: Playwright starts the servers before
  // globalSetup); the main one gets one admin, created the way an operator would: `gate user create`.
  webServer: [
    gate(MAIN, `printf %s '${E2E_ADMIN.password}' | node bin/gate.js user create --email ${E2E_ADMIN.email} --admin --data ${MAIN.data} && `),
    gate(FRESH),
  ],
});
