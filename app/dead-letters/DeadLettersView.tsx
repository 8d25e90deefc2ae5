"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { LabeledField } from "../components/LabeledField";
import { Notice } from "../components/Notice";
import { errorText } from "../lib/errors";
import { api } from "../lib/trpc";
import type { DeadLetterRow, FlowRow } from "../lib/types";
import { DeadLetterTable } from "./components/DeadLetterTable";
import { ReplayAll } from "./components/ReplayAll";

type Status = "open" | "replayed" | "discarded";

/** Every flow's failed events that nothing handled, newest first; filter by flow and status. */
export function DeadLettersView() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const flowId = params.get("flow") ?? "";
  const [status, setStatus] = useState<Status>("open");
  const [flows, setFlows] = useState<FlowRow[]>([]);
  const [letters, setLetters] = useState<DeadLetterRow[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  const reload = useCallback(() => {
    api.deadLetters.list
      .query({ flowId: flowId || undefined, status, limit: 100 })
      .then((page) => setLetters(page.items))
      .catch((e: unknown) => setError(`Could not load dead letters: ${errorText(e)}`));
  }, [flowId, status]);
  useEffect(reload, [reload]);
  useEffect(() => void api.flows.list.query().then(setFlows).catch(() => setFlows([])), []);

  const flowName = (id: string) => flows.find((f) => f.id === id)?.name ?? id;
  const pickFlow = (id: string) => router.replace(id ? `${pathname}?flow=${encodeURIComponent(id)}` : pathname);

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Dead letters</h1>
          <p className="muted page-sub">Events whose run failed after its retries and that no error path handled. Fix the cause, then replay them or discard them.</p>
        </div>
      </div>
      <div className="filters">
        <LabeledField label="Flow">
          <select className="input" value={flowId} onChange={(e) => pickFlow(e.target.value)}>
            <option value="">All flows</option>
            {flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </LabeledField>
        <LabeledField label="Status">
          <select className="input" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
            <option value="open">Open</option>
            <option value="replayed">Replayed</option>
            <option value="discarded">Discarded</option>
          </select>
        </LabeledField>
      </div>
      {error && (
        <Notice kind="error" onClose={() => setError(undefined)}>
          {error}
        </Notice>
      )}
      {flowId && status === "open" && !!letters?.length && <ReplayAll flowId={flowId} onFinished={reload} />}
      {!letters && !error && <p className="muted">Loading…</p>}
      {letters?.length === 0 && (
        <div className="empty">
          <h2>No {status} dead letters</h2>
          <p>{status === "open" ? "Every failed event was handled, replayed or discarded." : "Nothing here yet."}</p>
        </div>
      )}
      {letters && letters.length > 0 && <DeadLetterTable letters={letters} flowName={flowName} />}
    </section>
  );
}
