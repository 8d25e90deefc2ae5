import { NodeError, type Credential } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import type { CredentialResolver } from "../engine/interpreter";
import { env } from "../env";
import { defaultKeyFile, loadKeyring, type Keyring } from "./keyring";
import { VaultError } from "./errors";
import { Vault } from "./vault";

export { Vault, generateWebhookSecret, type CredentialSummary } from "./vault";
export { VaultError };

/** The keyring for a data folder, from the environment or the embedded default's key file. */
export function keyringFor(dataDir: string, create: boolean): Keyring {
  const e = env();
  return loadKeyring({
    envKey: e.GATE_ENCRYPTION_KEY,
    envPrevious: e.GATE_ENCRYPTION_KEY_PREVIOUS,
    keyFile: e.GATE_KEY_FILE ?? defaultKeyFile(dataDir, e.XDG_CONFIG_HOME),
    create,
  });
}

/**
 * Open and verify: when credentials exist, a missing or wrong key throws a VaultError here, before
 * anything is served. `create` makes the embedded default's key file on first use.
 */
export function openVault(gdb: GateDb, dataDir: string, options: { create: boolean }): Vault {
  const vault = new Vault(gdb, () => keyringFor(dataDir, options.create));
  vault.verify();
  return vault;
}

/** The engine's credential resolver: vault refusals become node errors that name the credential. */
export function vaultResolver(vault: Vault, refresh?: (credential: Credential) => Promise<Credential>): CredentialResolver {
  return {
    resolve: async (ref) => {
      let credential: Credential;
      try {
        credential = vault.resolve(ref);
      } catch (error) {
        if (error instanceof VaultError) throw new NodeError(`credential "${ref}" cannot be opened: ${error.message}`, { code: "CREDENTIAL_UNAVAILABLE", hint: error.hint });
        throw error;
      }
      if (!refresh) return credential;
      try {
        return await refresh(credential);
      } catch (error) {
        throw new NodeError((error as Error).message, { code: "CREDENTIAL_EXPIRED", hint: "open the credential and click Connect again" });
      }
    },
  };
}
