"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Notice } from "../../components/Notice";
import { errorText } from "../../lib/errors";
import { dateTime } from "../../lib/time";
import { api } from "../../lib/trpc";
import type { DeadLetterDetail } from "../../lib/types";
import { attempts } from "./DeadLetterTable";
import { PayloadEditor } from "./PayloadEditor";
import { ReplayPanel } from "./ReplayPanel";

type Message = { kind: "error" | "ok"; text: string } | undefined;

/** One dead letter: the error, the payload (editable), replay and discard. */
export function DeadLetterView({ id }: { id: string }) {
  const router = useRouter();
  const [letter, setLetter] = useState<DeadLetterDetail | undefined>();
  const [message, setMessage] = useState<Message>();
  const [confirming, setConfirming] = useState(false);
  const [flowName, setFlowName] = useState<string | undefined>();

  const reload = useCallback(() => {
    api.deadLetters.get
      .query({ id })
      .then(setLetter)
      .catch((e: unknown) => setMessage({ kind: "error", text: `Could not load this dead letter: ${errorText(e)}` }));
  }, [id]);
  useEffect(reload, [reload]);
  const flowId = letter?.flowId;
  useEffect(() => {
    if (flowId) api.flows.get.query({ id: flowId }).then((f) => setFlowName(f.name), () => setFlowName(undefined));
  }, [flowId]);

  const discard = async () => {
    setConfirming(false);
    try {
      await api.deadLetters.discard.mutate({ id });
      router.push(`/dead-letters?flow=${encodeURIComponent(letter?.flowId ?? "")}`);
    } catch (e) {
      setMessage({ kind: "error", text: `Not discarded: ${errorText(e)}` });
    }
  };

  const open = letter?.status === "open";
  return (
    <section className="page dead-letter">
      <p className="muted small">
        <Link href={letter ? `/dead-letters?flow=${encodeURIComponent(letter.flowId)}` : "/dead-letters"}>← Dead letters</Link>
      </p>
      {message && (
        <Notice kind={message.kind} onClose={() => setMessage(undefined)}>
          {message.text}
        </Notice>
      )}
      {!letter && !message && <p className="muted">Loading…</p>}
      {letter && (
        <>
          <div className="page-head">
            <div>
              <h1>
                Dead letter <span className={`pill dl-${letter.status}`}>{letter.status}</span>
              </h1>
              <p className="muted page-sub">
                <Link href={`/flows/${letter.flowId}`}>{flowName ?? `Flow ${letter.flowId}`}</Link> · version {letter.flowVersion} · failed {dateTime(letter.createdAt)} · {attempts(letter)}
                {letter.executionId && (
                  <>
                    {" · "}
                    <Link href={`/flows/${letter.flowId}/executions/${letter.executionId}`}>execution</Link>
                  </>
                )}
              </p>
            </div>
            {open && (
              <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
                Discard
              </button>
            )}
          </div>
          <section className="dl-error dl-card" aria-label="Error">
            <h2>Error</h2>
            <p className="field-error">
              {letter.failedNode && (
                <>
                  <code>{letter.failedNode}</code>{" "}
                </>
              )}
              <strong>{letter.error.code}</strong>: {letter.error.message}
            </p>
            {letter.error.hint && <p className="muted small">{letter.error.hint}</p>}
          </section>
          <PayloadEditor
            letter={letter}
            readOnly={!open}
            onSaved={() => {
              setMessage({ kind: "ok", text: "Payload saved: a replay from the trigger sends it." });
              reload();
            }}
            onError={(text) => setMessage({ kind: "error", text })}
          />
          {open && (
            <ReplayPanel
              letter={letter}
              onDone={(text, ok) => {
                setMessage({ kind: ok ? "ok" : "error", text });
                reload();
              }}
            />
          )}
        </>
      )}
      {confirming && (
        <ConfirmDialog title="Discard this dead letter?" confirm="Discard" onClose={() => setConfirming(false)} onConfirm={() => void discard()}>
          <p>The event will not be replayed. Its record stays in the list under “Discarded”.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
