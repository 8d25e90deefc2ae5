import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import next from "next";
import { appRouter } from "../api/root";
import { createContextFactory } from "../api/trpc";
import { logger } from "../log";
import { openServices } from "../services";
import { ensureNextBuild } from "./next-build";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ServerOptions {
  host: string;
  port: number;
  dataDir: string;
  dev: boolean;
}

export interface RunningServer {
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The process entry. A plain Node HTTP server answers `/healthz`, `/api/trpc` (and, with the
 * connectors, `/hooks/*`) itself, so those never pay for React or Next's routing; every other
 * request goes to Next's handler.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const services = await openServices(path.resolve(options.dataDir), { maintenance: true, createKey: true });
  if (!options.dev) ensureNextBuild(ROOT);
  const nextApp = next({ dev: options.dev, dir: ROOT, hostname: options.host, port: options.port, quiet: true });
  await nextApp.prepare();
  const nextHandler = nextApp.getRequestHandler();
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: createContextFactory(services),
    onError: ({ error, path: procedure }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ procedure, err: error.cause ?? error }, "tRPC procedure failed");
    },
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    if (url === "/healthz" || url.startsWith("/healthz?")) return healthz(res, services.healthy());
    if (url.startsWith("/api/trpc/")) return trpcHandler(req, res);
    nextHandler(req, res).catch((error: unknown) => {
      logger.error({ err: error, url }, "page failed");
      if (!res.headersSent) res.writeHead(500).end("internal error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url, dataDir: services.dataDir }, "Gate started");
  return {
    url,
    dataDir: services.dataDir,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await nextApp.close();
      await services.shutdown();
    },
  };
}

function healthz(res: ServerResponse, healthy: boolean) {
  res.writeHead(healthy ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ status: healthy ? "ok" : "unavailable" }));
}
