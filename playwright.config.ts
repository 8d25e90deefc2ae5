import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Playwright cannot download its own browser here: use Debian's Chromium when it is installed.
const chromium = "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: "http://127.0.0.1:3917",
    viewport: { width: 1280, height: 800 },
    launchOptions: existsSync(chromium)
      ? {
          executablePath: chromium,
          args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"],
        }
      : {},
  },
  webServer: {
    // Each run starts from an empty data folder (removed here: Playwright starts the server before globalSetup).
    command: "rm -rf test-results/e2e-data && node bin/gate.js start --port 3917 --data test-results/e2e-data",
    url: "http://127.0.0.1:3917/healthz",
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { GATE_LOG_LEVEL: "warn" },
  },
});
