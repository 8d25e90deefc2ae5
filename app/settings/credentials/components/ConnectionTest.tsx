"use client";

import { useState } from "react";
import { errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { ConnectionCheck } from "../../../lib/types";

export type TestState = ConnectionCheck | { error: string } | "running" | undefined;

/** Ask the server to try a credential against its system; nothing secret comes back. */
export function useConnectionTest(name: string): [TestState, () => void] {
  const [state, setState] = useState<TestState>();
  const run = () => {
    setState("running");
    api.credentials.test.mutate({ name }).then(setState, (e: unknown) => setState({ error: errorText(e) }));
  };
  return [state, run];
}

const OUTCOME_WORDS: Record<ConnectionCheck["outcome"], string> = {
  ok: "Connected",
  invalid: "Invalid or expired",
  forbidden: "Forbidden",
  ipNotAllowed: "IP address not allowed",
  rateLimited: "Rate limited",
  tls: "TLS failed",
  dns: "Host not found",
  connection: "No connection",
  timeout: "Timed out",
  blocked: "Blocked by Gate",
  notTestable: "Cannot be tested",
  failed: "Failed",
};

/** The outcome of the last Test connection: what happened, and what to check. */
export function ConnectionResult({ state }: { state: TestState }) {
  if (!state) return null;
  if (state === "running") return <p className="muted small">Testing…</p>;
  if ("error" in state)
    return (
      <p className="conn-result conn-bad" role="alert">
        Test refused: {state.error}
      </p>
    );
  const ok = state.outcome === "ok";
  return (
    <div className={`conn-result ${ok ? "conn-ok" : state.outcome === "notTestable" ? "conn-neutral" : "conn-bad"}`} role="status">
      <strong>
        {ok ? "✓" : "✗"} {OUTCOME_WORDS[state.outcome]}
      </strong>{" "}
      {state.message} <span className="muted small">({Math.round(state.durationMs)} ms)</span>
      {state.hint && <p className="conn-hint">Hint: {state.hint}</p>}
    </div>
  );
}
