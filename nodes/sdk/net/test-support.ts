/**
 * Real servers and certificates for the outbound tests (not a test file itself). Certificates are
 * made at test time with the openssl CLI, so nothing secret is checked in and nothing needs a network.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export interface TestCerts {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The client key encrypted with `passphrase`. */
  clientKeyEncrypted: string;
  passphrase: string;
  /** A client certificate from a CA the server does not trust. */
  strangerCert: string;
  strangerKey: string;
}

let certs: TestCerts | undefined;

export function testCerts(): TestCerts {
  if (certs) return certs;
  const dir = mkdtempSync(path.join(os.tmpdir(), "gate-certs-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
  try {
    const ca = (name: string) => {
      run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", `/CN=${name}`);
    };
    const leaf = (name: string, issuer: string, ext: string) => {
      writeFileSync(path.join(dir, `${name}.ext`), ext);
      run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
      run("x509", "-req", "-in", `${name}.csr`, "-CA", `${issuer}.pem`, "-CAkey", `${issuer}.key`, "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", "-extfile", `${name}.ext`);
    };
    ca("test-ca");
    ca("stranger-ca");
    leaf("server", "test-ca", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:api.test\nextendedKeyUsage=serverAuth\n");
    leaf("client", "test-ca", "extendedKeyUsage=clientAuth\n");
    leaf("stranger", "stranger-ca", "extendedKeyUsage=clientAuth\n");
    const passphrase = "correct horse battery";
    run("pkey", "-in", "client.key", "-aes256", "-passout", `pass:${passphrase}`, "-out", "client-enc.key");
    certs = {
      ca: read("test-ca.pem"),
      serverCert: read("server.pem"),
      serverKey: read("server.key"),
      clientCert: read("client.pem"),
      clientKey: read("client.key"),
      clientKeyEncrypted: read("client-enc.key"),
      passphrase,
      strangerCert: read("stranger.pem"),
      strangerKey: read("stranger.key"),
    };
    return certs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  readonly port: number;
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse, raw: http.IncomingMessage) => unknown;

/** An HTTP(S) server on 127.0.0.1 that records every request (method, URL, headers, body). */
export async function startServer(handler: Handler, options: { tls?: https.ServerOptions } = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const listener = (raw: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    raw.on("data", (c: Buffer) => chunks.push(c));
    raw.on("end", () => {
      const recorded = { method: raw.method ?? "", url: raw.url ?? "", headers: raw.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res, raw)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  };
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
