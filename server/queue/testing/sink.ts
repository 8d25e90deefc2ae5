/**
 * The outside system of the reliability tests: a real HTTP server on 127.0.0.1 that behaves like
 * a payment API honouring `Idempotency-Key`: the first request with a key is applied and its answer
 * stored; a repeat gets the stored answer and changes nothing. It can be switched to answer 503
 * (a failing dependency) or be closed and reopened on the same port (a host that is down).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Applied {
  key: string;
  body: unknown;
  /** Requests that carried this key (1 = applied once and never repeated). */
  seen: number;
}

export class Sink {
  /** key → what was applied; a key is applied once however often it arrives. */
  readonly applied = new Map<string, Applied>();
  /** Requests without a key (each one applied: nothing tells them apart). */
  readonly unkeyed: unknown[] = [];
  refused = 0;
  mode: "up" | "503" = "up";
  private server: Server | undefined;
  port = 0;

  static async start(): Promise<Sink> {
    const sink = new Sink();
    await sink.listen(0);
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/apply`;
  }

  /** Requests that repeated an already applied key (redeliveries and replays of applied items). */
  get repeats(): number {
    let n = 0;
    for (const a of this.applied.values()) n += a.seen - 1;
    return n;
  }

  private listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (this.mode === "503") {
          this.refused++;
          res.writeHead(503, { "content-type": "application/json" }).end('{"error":"unavailable"}');
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") as unknown;
        const key = req.headers["idempotency-key"];
        if (typeof key !== "string") {
          this.unkeyed.push(body);
          res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ applied: this.unkeyed.length }));
          return;
        }
        const known = this.applied.get(key);
        if (known) known.seen++;
        else this.applied.set(key, { key, body, seen: 1 });
        res.writeHead(known ? 200 : 201, { "content-type": "application/json" }).end(JSON.stringify({ key, replayed: Boolean(known) }));
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Take the host down: the port refuses connections until `reopen`. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  reopen(): Promise<void> {
    return this.listen(this.port);
  }

  /** Applied bodies whose field `field` equals `value`. */
  appliedWhere(field: string, value: unknown): Applied[] {
    return [...this.applied.values()].filter((a) => (a.body as Record<string, unknown> | null)?.[field] === value);
  }
}
