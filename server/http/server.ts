import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { toNodeHandler } from "better-auth/node";
import next from "next";
import { appRouter } from "../api/root";
import { createContextFactory } from "../api/trpc";
import { OAUTH_CALLBACK_PATH, oauthCallbackHandler } from "../oauth/callback";
import { logger } from "../log";
import { openServices, type ServiceOptions, type Services } from "../services";
import { HOOKS_PREFIX } from "./hooks/ingress";
import { ensureNextBuild } from "./next-build";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ServerOptions {
  /** Serve HTTPS with this PEM certificate (chain) and key; session cookies become Secure. */
  tls?: { cert: string; key: string };
  host: string;
  port: number;
  dataDir: string;
  dev: boolean;
  /** Serve the UI through Next (default). Off: only /hooks, /healthz and tRPC, for tests and benchmarks. */
  ui?: boolean;
  /** Passed through to openServices (e.g. webhook queue settings). */
  services?: Omit<ServiceOptions, "maintenance">;
}

export interface RunningServer {
  url: string;
  dataDir: string;
  services: Services;
  close(): Promise<void>;
}

/**
 * The process entry. A plain Node HTTP server answers `/healthz`, `/api/trpc` (and, with the
 * connectors, `/hooks/*`) itself, so those never pay for React or Next's routing; every other
 * request goes to Next's handler.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const services = await openServices(path.resolve(options.dataDir), { ...options.services, maintenance: true, createKey: true, secure: options.tls !== undefined });
  const ui = options.ui ?? true;
  if (ui && !options.dev) ensureNextBuild(ROOT);
  const nextApp = ui ? next({ dev: options.dev, dir: ROOT, hostname: options.host, port: options.port, quiet: true }) : undefined;
  await nextApp?.prepare();
  const nextHandler = nextApp?.getRequestHandler();
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: createContextFactory(services, { secure: options.tls !== undefined }),
    onError: ({ error, path: procedure }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ procedure, err: error.cause ?? error }, "tRPC procedure failed");
    },
  });

  const betterAuthHandler = toNodeHandler(services.auth.auth);
  const oauthCallback = oauthCallbackHandler(services.oauth, services.audit);
  // The audit log needs the caller's address; a client-sent header of the same name is overwritten.
  const authHandler = (req: IncomingMessage, res: ServerResponse) => {
    req.headers["x-gate-client-ip"] = req.socket.remoteAddress ?? "";
    betterAuthHandler(req, res).catch((error: unknown) => {
      logger.error({ err: error }, "sign-in handler failed");
      if (!res.headersSent) res.writeHead(500).end("internal error");
    });
  };

  const handler: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    if (url === "/healthz" || url.startsWith("/healthz?")) return healthz(res, services.healthy());
    if (url.startsWith(HOOKS_PREFIX)) return services.webhooks.ingress.handle(req, res);
    if (url.startsWith("/api/trpc/")) return trpcHandler(req, res);
    if (url.startsWith("/api/auth/")) return authHandler(req, res);
    if (url.startsWith(OAUTH_CALLBACK_PATH)) return oauthCallback(req, res);
    if (!nextHandler) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found (started without the UI)");
    nextHandler(req, res).catch((error: unknown) => {
      logger.error({ err: error, url }, "page failed");
      if (!res.headersSent) res.writeHead(500).end("internal error");
    });
  };
  const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? "https" : "http"}://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url, dataDir: services.dataDir }, "Gate started");
  return {
    url,
    dataDir: services.dataDir,
    services,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await nextApp?.close();
      await services.shutdown();
    },
  };
}

function healthz(res: ServerResponse, healthy: boolean) {
  res.writeHead(healthy ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ status: healthy ? "ok" : "unavailable" }));
}
