import type { Command } from "../command";
import { UsageError } from "../errors";
import { readJson } from "../io";
import { resolveDataDir } from "../../env";
import { generateWebhookSecret, type CredentialSummary } from "../../vault";

const dataOf = (values: Record<string, unknown>) => resolveDataDir(typeof values.data === "string" ? values.data : undefined);

function positiveNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number`);
  return n;
}

function line(c: CredentialSummary): string {
  const date = (ms: number | null) => (ms === null ? "-" : new Date(ms).toISOString().slice(0, 10));
  const notes = [
    c.rotationDue ? "ROTATION DUE" : "",
    c.expiringSoon ? `EXPIRES ${date(c.expiresAt)}` : "",
    c.previousUntil ? `previous secret valid until ${new Date(c.previousUntil).toISOString()}` : "",
  ].filter(Boolean);
  return [c.name, c.kind, c.fingerprint, c.last4 ? `…${c.last4}` : "-", `rotated ${date(c.lastRotatedAt)}`, `used ${date(c.lastUsedAt)}`, ...notes].join("  ");
}

/**
 * Provisioning from the shell. Secret values only ever travel in: from a file or freshly generated;
 * a generated webhook secret is printed once, because the sender needs it.
 */
export const credentialsCommand: Command = {
  summary: "create or rotate, list and delete credentials (values are never printed)",
  usage: "credentials set <name> --kind <kind> (--from-file <secret.json> | --generate) [--rotation-days N] [--grace-hours H] | list [--json] | delete <name>  [--data ./data]",
  options: {
    data: { type: "string" },
    kind: { type: "string" },
    "from-file": { type: "string" },
    generate: { type: "boolean", default: false },
    "rotation-days": { type: "string" },
    "grace-hours": { type: "string" },
    json: { type: "boolean", default: false },
  },
  async run({ positionals, values }) {
    const [action, name] = positionals;
    const { openServices } = await import("../../services");
    const services = await openServices(dataOf(values), { createKey: action === "set" });
    try {
      switch (action) {
        case "set": {
          if (!name) throw new UsageError("name the credential");
          if (typeof values.kind !== "string") throw new UsageError("say which --kind (e.g. apiKey, bearer, basic, webhookSecret, postgres)");
          const file = values["from-file"];
          let data: unknown;
          let generated: string | undefined;
          if (values.generate === true) {
            if (values.kind !== "webhookSecret") throw new UsageError("--generate makes webhook signing secrets only (--kind webhookSecret)");
            generated = generateWebhookSecret();
            data = { secret: generated };
          } else if (typeof file === "string") data = await readJson(file);
          else throw new UsageError("give the secret with --from-file <secret.json> (or --generate for a webhook secret)");
          const graceHours = positiveNumber(values["grace-hours"], "--grace-hours");
          const { created, credential } = services.vault.set(name, values.kind, data, {
            rotationDays: positiveNumber(values["rotation-days"], "--rotation-days"),
            graceMs: graceHours === undefined ? undefined : graceHours * 3600_000,
          });
          process.stdout.write(`${created ? "created" : "rotated"} ${credential.name} (${credential.kind}, fingerprint ${credential.fingerprint})\n`);
          if (generated) process.stdout.write(`signing secret (shown once, give it to the sender): ${generated}\n`);
          return 0;
        }
        case "list": {
          const list = services.vault.list();
          if (values.json) process.stdout.write(`${JSON.stringify(list)}\n`);
          else if (!list.length) process.stdout.write("no credentials\n");
          else for (const c of list) process.stdout.write(`${line(c)}\n`);
          return 0;
        }
        case "delete": {
          if (!name) throw new UsageError("name the credential to delete");
          if (!services.vault.remove(name)) throw new UsageError(`no credential "${name}"`);
          process.stdout.write(`deleted ${name}\n`);
          return 0;
        }
        default:
          throw new UsageError(action ? `unknown action "${action}"` : "say set, list or delete");
      }
    } finally {
      services.close();
    }
  },
};
