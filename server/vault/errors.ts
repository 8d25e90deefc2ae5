export type VaultErrorCode =
  | "KEY_MISSING"
  | "KEY_WRONG"
  | "BAD_KEY_FORMAT"
  | "NOT_FOUND"
  | "NAME_TAKEN"
  | "CREDENTIAL_INVALID"
  | "UNKNOWN_KIND";

/** An expected refusal from the vault. Messages name the credential, never a secret value. */
export class VaultError extends Error {
  override readonly name = "VaultError";
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
