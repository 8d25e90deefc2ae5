import { createHash } from "node:crypto";
import tls from "node:tls";
import { Agent } from "undici";
import { NodeError } from "../errors";
import type { HttpRequest } from "../host";
import { guardedConnector } from "./connector";
import type { AddressGuard } from "./guard";

type TlsSettings = NonNullable<HttpRequest["tls"]>;

/** Agents kept at most; the least recently used one is closed beyond that. */
const MAX_AGENTS = 32;

/**
 * One undici Agent per distinct client certificate (mTLS): connections made with one certificate
 * must never be reused for a request that presents another. Keyed by a hash so the map holds no
 * private key as a key; the Agent itself of course holds it, in memory only.
 */
export class TlsAgents {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly guard: AddressGuard) {}

  get(settings: TlsSettings): Agent {
    const key = createHash("sha256")
      .update(JSON.stringify([settings.cert ?? "", settings.key ?? "", settings.ca ?? "", settings.passphrase ?? ""]))
      .digest("hex");
    const cached = this.agents.get(key);
    if (cached) {
      this.agents.delete(key);
      this.agents.set(key, cached);
      return cached;
    }
    const options = {
      ...(settings.cert ? { cert: settings.cert } : {}),
      ...(settings.key ? { key: settings.key } : {}),
      ...(settings.passphrase ? { passphrase: settings.passphrase } : {}),
      // An extra CA is added to the public roots, not put in their place.
      ...(settings.ca ? { ca: [...tls.rootCertificates, settings.ca] } : {}),
    };
    try {
      // Fails now, with a clear error, on a key that does not match or a wrong passphrase.
      tls.createSecureContext(options);
    } catch (error) {
      throw new NodeError("the client certificate or its key could not be loaded", {
        code: "TLS",
        hint: "check the client-certificate credential: the PEM certificate, the matching private key and its passphrase",
        cause: error,
      });
    }
    const agent = new Agent({ connect: guardedConnector(this.guard, options) });
    this.agents.set(key, agent);
    if (this.agents.size > MAX_AGENTS) {
      const [oldestKey, oldest] = this.agents.entries().next().value as [string, Agent];
      this.agents.delete(oldestKey);
      void oldest.close();
    }
    return agent;
  }

  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(all.map((a) => a.close()));
  }
}
