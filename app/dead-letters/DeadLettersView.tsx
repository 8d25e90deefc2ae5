"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { LabeledField } from "../components/LabeledField";
import { Notice } from "../components/Notice";
import { errorText } from "../lib/errors";
import { api } from "../lib/trpc";
import type { DeadLetterRow, FlowRow } from "../lib/types";
import { DeadLetterTable } from "./components/DeadLetterTable";
import { ReplayAll } from "./components/ReplayAll";
import { FlowSelect } from "../components/FlowSelect";

type Status = "open" | "replayed" | "discarded";

/** Letters per page: the first page, and each "Show older" after it. */
const PAGE_SIZE = 100;

/** Every flow's failed events that nothing handled, newest first; filter by flow and status. */
export function DeadLettersView() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const flowId = params.get("flow") ?? "";
  const [status, setStatus] = useState<Status>("open");
  const [flows, setFlows] = useState<FlowRow[]>([]);
  const [letters, setLetters] = useState<DeadLetterRow[] | undefined>();
  /** Where the next (older) page starts; undefined when every letter is shown. */
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | undefined>();
  /** Answers to an older filter (or an older reload) must not land in the list. */
  const generation = useRef(0);

  const reload = useCallback(() => {
    const current = ++generation.current;
    setLoadingMore(false);
    api.deadLetters.list
      .query({ flowId: flowId || undefined, status, limit: PAGE_SIZE })
      .then((page) => {
        if (current !== generation.current) return;
        setLetters(page.items);
        setNextCursor(page.nextCursor);
      })
      .catch((e: unknown) => setError(`Could not load dead letters: ${errorText(e)}`));
  }, [flowId, status]);
  useEffect(reload, [reload]);

  const loadMore = () => {
    if (!nextCursor) return;
    const current = generation.current;
    setLoadingMore(true);
    api.deadLetters.list
      .query({ flowId: flowId || undefined, status, limit: PAGE_SIZE, cursor: nextCursor })
      .then((page) => {
        if (current !== generation.current) return;
        setLetters((shown) => [...(shown ?? []), ...page.items]);
        setNextCursor(page.nextCursor);
      })
      .catch((e: unknown) => setError(`Could not load older dead letters: ${errorText(e)}`))
      .finally(() => {
        if (current === generation.current) setLoadingMore(false);
      });
  };
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
          <FlowSelect flows={flows} value={flowId} onChange={pickFlow} anyLabel="All flows" />
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
      {letters && letters.length > 0 && (
        <>
          <DeadLetterTable letters={letters} flowName={flowName} />
          <div className="pager">
            <span className="muted small" aria-live="polite">
              {nextCursor
                ? `Showing the newest ${letters.length} ${status} dead letters; older ones exist.`
                : `Showing all ${letters.length} ${status} dead letter${letters.length === 1 ? "" : "s"}.`}
            </span>
            {nextCursor && (
              <button type="button" className="btn" disabled={loadingMore} onClick={loadMore}>
                {loadingMore ? "Loading…" : "Show older"}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
