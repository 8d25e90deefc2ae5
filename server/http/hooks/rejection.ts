/** A request refused on purpose: the status, the reason (sent and logged) and extra headers. */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
    /** What the sender is told when the reason is for the operator only (configuration problems). */
    readonly publicMessage?: string,
  ) {
    super(reason);
    this.name = "Rejection";
  }
}
