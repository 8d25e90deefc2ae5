import { readFile } from "node:fs/promises";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { resolveDataDir, env } from "../../env";

export const startCommand: Command = {
  summary: "serve the UI, API and webhooks (SQLite in --data)",
  usage: "start [--host 127.0.0.1] [--port 3000] [--data ./data] [--dev] [--headless] [--tls-cert cert.pem --tls-key key.pem]",
  options: {
    headless: { type: "boolean", default: false },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
    host: { type: "string" },
    port: { type: "string" },
    data: { type: "string" },
    dev: { type: "boolean", default: false },
  },
  async run({ values }) {
    const port = values.port === undefined ? env().GATE_PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535`);
    const tls = await readTls(values["tls-cert"], values["tls-key"]);
    // Loaded here, not at the top: `gate validate` and `gate run` must not pay for Next.js.
    const { startServer } = await import("../../http/server");
    const server = await startServer({
      host: typeof values.host === "string" ? values.host : env().GATE_HOST,
      port,
      dataDir: resolveDataDir(typeof values.data === "string" ? values.data : undefined),
      dev: values.dev === true,
      // Headless: API, webhooks, schedules and workers without the UI (a worker node, or a server behind another UI).
      ui: values.headless !== true,
      tls,
    });
    process.stdout.write(`Gate is running at ${server.url} (data: ${server.dataDir})\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.stdout.write("stopping…\n");
        void server.close().then(resolve);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
};

async function readTls(cert: unknown, key: unknown): Promise<{ cert: string; key: string } | undefined> {
  if (cert === undefined && key === undefined) return undefined;
  if (typeof cert !== "string" || typeof key !== "string") throw new UsageError("HTTPS needs both --tls-cert and --tls-key");
  const read = async (file: string, flag: string) => {
    try {
      return await readFile(file, "utf8");
    } catch {
      throw new UsageError(`${flag} ${file}: cannot read the file`);
    }
  };
  return { cert: await read(cert, "--tls-cert"), key: await read(key, "--tls-key") };
}
