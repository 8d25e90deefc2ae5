import { rmSync } from "node:fs";

/** Each e2e run starts from an empty data folder (the server creates it on start). */
export default function globalSetup() {
  rmSync("test-results/e2e-data", { recursive: true, force: true });
}
