/** Codes the API layer maps to its own (NOT_FOUND → 404, the *_TAKEN ones → 409 CONFLICT). */
export type StoreErrorCode = "NOT_FOUND" | "NAME_TAKEN" | "ROUTE_TAKEN" | "BAD_CURSOR";

/** An expected refusal from the store, with a message fit to show to the person who asked. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
