"use client";

import { useState } from "react";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import type { DeadLetterDetail } from "../../lib/types";
import { ReplayChoices, type ReplayOptions } from "./ReplayChoices";

/** Replay one letter now and say how the run ended. */
export function ReplayPanel({ letter, onDone }: { letter: DeadLetterDetail; onDone: (text: string, ok: boolean) => void }) {
  const [options, setOptions] = useState<ReplayOptions>({ from: "trigger", version: "recorded" });
  const [running, setRunning] = useState(false);
  const replay = async () => {
    setRunning(true);
    try {
      const result = await api.deadLetters.replay.mutate({ id: letter.id, ...options });
      if (result.status === "success") onDone("Replayed: the run succeeded.", true);
      else onDone(`Replay ${result.status}: ${result.error ? `${result.error.code}: ${result.error.message}` : "see the execution"}`, false);
    } catch (e) {
      onDone(`Replay refused: ${errorText(e)}`, false);
    } finally {
      setRunning(false);
    }
  };
  return (
    <section className="dl-replay dl-card" aria-label="Replay">
      <h2>Replay</h2>
      <ReplayChoices value={options} onChange={setOptions} fromNodeAllowed={letter.replayableFromNode} />
      <button type="button" className="btn btn-primary" disabled={running} onClick={() => void replay()}>
        {running ? "Replaying…" : "Replay"}
      </button>
    </section>
  );
}
