/** The Gate server as a real child process (see server-process.ts), for tests that kill it. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";

const ROOT = new URL("../../../", import.meta.url).pathname;

export class GateProcess {
  private child: ChildProcess | undefined;
  output = "";

  constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly leaseMs: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Start and resolve once it listens. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", "server/queue/testing/server-process.ts", this.dataDir, String(this.port), String(this.leaseMs)], {
      cwd: ROOT,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.includes("READY ")) resolve();
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
      child.once("exit", (code, signal) => reject(new Error(`gate exited before it was ready (${code ?? signal}):\n${this.output.slice(-2000)}`)));
    });
    this.output = "";
  }

  /** The crash: SIGKILL, no chance to finish or hand anything back. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** A graceful stop; resolves with the exit code. */
  async stop(): Promise<number | null> {
    return this.signal("SIGTERM");
  }

  private signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? null);
    return new Promise((resolve) => {
      child.once("exit", (code) => resolve(code));
      child.kill(signal);
    });
  }

  /** Read the database from outside (WAL lets a reader in while the server writes). */
  query<T>(sql: string, ...params: unknown[]): T[] {
    const db = new Database(path.join(this.dataDir, "gate.db"), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
}

export { freePort } from "../../testing/ports";
