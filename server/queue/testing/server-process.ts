/**
 * The Gate server as a child process for the crash test: the real startServer (queue, workers,
 * maintenance, webhook ingress, tRPC) without the web UI, since building the UI is not what a crash
 * test is about and `gate start` builds it when its sources changed. Prints `READY <url>` once it
 * listens; SIGTERM shuts down gracefully, SIGKILL is the crash.
 *   node --import tsx server/queue/testing/server-process.ts <dataDir> <port> [leaseMs]
 */
import "./env";
import { startServer } from "../../http/server";

const [dataDir, port, leaseMs] = process.argv.slice(2);
if (!dataDir || !port) throw new Error("usage: server-process.ts <dataDir> <port> [leaseMs]");
const server = await startServer({
  host: "127.0.0.1",
  port: Number(port),
  dataDir,
  dev: false,
  ui: false,
  services: { webhooks: { workers: true, ...(leaseMs && { leaseMs: Number(leaseMs) }) } },
});
process.stdout.write(`READY ${server.url}\n`);
process.once("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
