/**
 * Real receivers for the alert tests: an SMTP server (the `smtp-server` package) on 127.0.0.1 that
 * records every message, and an HTTP server that verifies Standard Webhooks signatures with the
 * `standardwebhooks` package — an independent implementation of the spec, not Gate's own signer.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TestContext } from "node:test";
import { SMTPServer } from "smtp-server";
import { Webhook } from "standardwebhooks";

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as received (headers and body, transfer encoding intact). */
  raw: string;
  subject: string;
  /** The body with quoted-printable decoded. */
  text: string;
  user: string | undefined;
}

export interface SmtpSink {
  port: number;
  messages: ReceivedMail[];
  /** The passwords clients logged in with: proves the credential reached the server. */
  logins: { user: string; password: string }[];
}

/** Accepts mail with or without login; `password` set: only that password logs in (the refusal echoes the attempt). */
export async function smtpSink(t: TestContext, options: { password?: string } = {}): Promise<SmtpSink> {
  const sink: SmtpSink = { port: 0, messages: [], logins: [] };
  const server = new SMTPServer({
    authOptional: true,
    // Plain TCP on loopback: no STARTTLS, and login allowed without it (tests only).
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const password = auth.password ?? "";
      if (options.password !== undefined && password !== options.password)
        // A careless server that repeats what it was sent: the sender must scrub it.
        return callback(new Error(`login refused for password ${password}`));
      sink.logins.push({ user: auth.username ?? "", password });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const [head = "", ...rest] = raw.split("\r\n\r\n");
        const unfolded = head.replace(/\r\n(?=[ \t])/g, "");
        sink.messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? "",
          text: /quoted-printable/i.test(head) ? decodeQuotedPrintable(rest.join("\r\n\r\n")) : rest.join("\r\n\r\n"),
          user: typeof session.user === "string" ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sink.port = (server.server.address() as AddressInfo).port;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return sink;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

export interface ReceivedHook {
  id: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The event type from the body, verified or not. */
  type: string | undefined;
  /** Parsed and verified by `standardwebhooks`; undefined when the signature did not verify. */
  event: { type: string; data: Record<string, unknown> } | undefined;
}

export interface HookReceiver {
  url: string;
  received: ReceivedHook[];
  /** The status the next requests get (default 200). */
  status: number;
}

export async function hookReceiver(t: TestContext, secret: string): Promise<HookReceiver> {
  const verifier = new Webhook(secret);
  const receiver: HookReceiver = { url: "", received: [], status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let event: ReceivedHook["event"];
      try {
        event = verifier.verify(body, req.headers as Record<string, string>) as ReceivedHook["event"];
      } catch {
        event = undefined;
      }
      let type: string | undefined;
      try {
        type = (JSON.parse(body) as { type?: string }).type;
      } catch {
        type = undefined;
      }
      receiver.received.push({ id: String(req.headers["webhook-id"]), headers: req.headers, body, type, event });
      res.writeHead(receiver.status, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gate-alerts`;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return receiver;
}
