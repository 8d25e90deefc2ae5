"use client";

import { useEffect, useState } from "react";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import type { ReplayProgress } from "../../lib/types";
import { ReplayChoices, type ReplayOptions } from "./ReplayChoices";

const POLL_MS = 500;

/** Replay every open letter of one flow in the background, with its progress as it goes. */
export function ReplayAll({ flowId, onFinished }: { flowId: string; onFinished: () => void }) {
  const [options, setOptions] = useState<ReplayOptions>({ from: "trigger", version: "recorded" });
  const [progress, setProgress] = useState<ReplayProgress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const running = !!progress && progress.finishedAt === null;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      api.deadLetters.replayProgress
        .query({ flowId })
        .then((p) => {
          setProgress(p ?? undefined);
          if (!p || p.finishedAt !== null) onFinished();
        })
        .catch((e: unknown) => setError(errorText(e)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, flowId, onFinished]);

  const start = async () => {
    setError(undefined);
    try {
      setProgress(await api.deadLetters.replayAll.mutate({ flowId, ...options }));
    } catch (e) {
      setError(`Replay all failed to start: ${errorText(e)}`);
    }
  };

  return (
    <section className="replay-all" aria-label="Replay all">
      <ReplayChoices value={options} onChange={setOptions} fromNodeAllowed />
      <button type="button" className="btn btn-primary" disabled={running} onClick={() => void start()}>
        {running ? "Replaying…" : "Replay all"}
      </button>
      {progress && <ProgressLine progress={progress} />}
      {error && <p className="field-error">{error}</p>}
    </section>
  );
}

function ProgressLine({ progress }: { progress: ReplayProgress }) {
  const done = progress.succeeded + progress.failed + progress.skipped;
  return (
    <div className="replay-progress" role="status">
      <progress max={progress.total || 1} value={done} aria-label="Replayed" />
      <span>
        {done} of {progress.total} · {progress.succeeded} succeeded · {progress.failed} failed{progress.skipped ? ` · ${progress.skipped} skipped` : ""}
        {progress.finishedAt !== null && " · done"}
        {progress.stoppedEarly && ` · stopped: ${progress.stoppedEarly}`}
      </span>
    </div>
  );
}
