"use client";

import { useState } from "react";
import { CodeField } from "../../flows/[id]/components/CodeField";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import type { DeadLetterDetail } from "../../lib/types";

type Payload = Record<string, unknown> | Record<string, unknown>[];

function parsePayload(text: string): { payload: Payload } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(value) || (Array.isArray(value) && value.every(isObject))) return { payload: value as Payload };
  return { error: "The payload must be a JSON object, or an array of objects." };
}

/** The payload a replay from the trigger sends, in a JSON editor; saved on request. */
export function PayloadEditor({ letter, readOnly, onSaved, onError }: { letter: DeadLetterDetail; readOnly: boolean; onSaved: () => void; onError: (text: string) => void }) {
  const original = JSON.stringify(letter.payload, null, 2);
  const [text, setText] = useState(original);
  const [saving, setSaving] = useState(false);
  const parsed = parsePayload(text);
  const save = async () => {
    if ("error" in parsed) return;
    setSaving(true);
    try {
      await api.deadLetters.updatePayload.mutate({ id: letter.id, payload: parsed.payload });
      onSaved();
    } catch (e) {
      onError(`Payload not saved: ${errorText(e)}`);
    } finally {
      setSaving(false);
    }
  };
  return (
    <section className="dl-payload dl-card" aria-label="Payload">
      <h2>Payload {letter.editedAt && <span className="pill">edited</span>}</h2>
      <CodeField language="gate-json" modelPath={`dead-letter/${letter.id}.json`} label="Payload" height={220} value={text} readOnly={readOnly} onChange={setText} />
      {"error" in parsed && <p className="field-error">{parsed.error}</p>}
      {!readOnly && (
        <div className="button-row">
          <button type="button" className="btn" disabled={text === original} onClick={() => setText(original)}>
            Revert
          </button>
          <button type="button" className="btn btn-primary" disabled={saving || text === original || "error" in parsed} onClick={() => void save()}>
            {saving ? "Saving…" : "Save payload"}
          </button>
        </div>
      )}
    </section>
  );
}
