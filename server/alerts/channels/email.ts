/**
 * Email over SMTP with nodemailer. The SMTP host passes the same outbound guard as every other
 * connection Gate makes (GATE_ALLOW_HOSTS for a relay on the LAN or on localhost); the password
 * comes from a `basic` credential, resolved at send time.
 */
import { credentialData, type OutboundGuard } from "../../../nodes/sdk";
import type { EmailChannelConfig } from "../model";
import { secretValues, type SecretSource } from "./secrets";

export interface Email {
  subject: string;
  text: string;
}

const TIMEOUT_MS = 15_000;

/** Sends one message; throws on refusal. `secrets` collects what must be scrubbed from errors. */
export async function sendEmail(config: EmailChannelConfig, email: Email, deps: { vault: SecretSource; net: OutboundGuard; secrets: string[] }): Promise<void> {
  let auth: { user: string; pass: string } | undefined;
  if (config.credential) {
    const credential = deps.vault.resolve(config.credential);
    deps.secrets.push(...secretValues(credential));
    const data = credentialData("basic", credential);
    auth = { user: data.username, pass: data.password };
  }
  const address = await deps.net.resolve(config.host, config.port);
  // Loaded on first send: CLI commands and servers without email channels never pay for it.
  const { default: nodemailer } = await import("nodemailer");
  const transport = nodemailer.createTransport({
    // Connect to the address the guard checked, but name the host for TLS, as a browser would.
    host: address,
    port: config.port,
    secure: config.security === "tls",
    requireTLS: config.security === "starttls",
    ignoreTLS: config.security === "none",
    tls: { servername: config.host },
    auth,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ from: config.from, to: config.to, subject: email.subject, text: email.text });
  } finally {
    transport.close();
  }
}
