import type { Command } from "../command";
import { UsageError } from "../errors";
import { resolveDataDir } from "../../env";
import { withNewKey, writeKeyFile } from "../../vault/keyring";

/**
 * Master-key rotation. With a key file: a new key is added to the file first, every secret is
 * re-sealed under it in one transaction, and only then is the old key dropped — a crash at any step
 * leaves a file that still opens the database. With GATE_ENCRYPTION_KEY: set the new key there and
 * the old one in GATE_ENCRYPTION_KEY_PREVIOUS, run this, then remove the previous key.
 */
export const keysCommand: Command = {
  summary: "rotate the vault's master key and re-encrypt every secret",
  usage: "keys rotate [--data ./data]",
  options: { data: { type: "string" } },
  async run({ positionals, values }) {
    if (positionals[0] !== "rotate") throw new UsageError('say "keys rotate"');
    const { openServices } = await import("../../services");
    const services = await openServices(resolveDataDir(typeof values.data === "string" ? values.data : undefined), { createKey: true });
    try {
      const ring = services.vault.keyring;
      if (ring.source === "env") {
        const count = services.vault.rotateMasterKey(ring);
        process.stdout.write(`re-encrypted ${count} credentials under key version ${ring.current}; GATE_ENCRYPTION_KEY_PREVIOUS can now be removed\n`);
        return 0;
      }
      const next = withNewKey(ring);
      writeKeyFile(ring.file!, next);
      const count = services.vault.rotateMasterKey(next);
      writeKeyFile(ring.file!, { current: next.current, keys: new Map([[next.current, next.keys.get(next.current)!]]) });
      process.stdout.write(`re-encrypted ${count} credentials under key version ${next.current} (key file ${ring.file})\n`);
      return 0;
    } finally {
      services.close();
    }
  },
};
