"use client";

import { useEffect, useState, type FormEvent } from "react";
import { Dialog } from "../../../components/Dialog";
import { LabeledField } from "../../../components/LabeledField";
import { errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { AlertChannel } from "../../../lib/types";
import { DialogActions } from "../../../components/DialogActions";

type Kind = AlertChannel["kind"];
type ChannelInput = Parameters<typeof api.alerts.channels.create.mutate>[0];

interface Draft {
  name: string;
  kind: Kind;
  host: string;
  port: number;
  security: "starttls" | "tls" | "none";
  credential: string;
  from: string;
  to: string;
  url: string;
  secretCredential: string;
}

const EMPTY: Draft = { name: "", kind: "email", host: "", port: 587, security: "starttls", credential: "", from: "", to: "", url: "", secretCredential: "" };

function toInput(d: Draft): ChannelInput {
  if (d.kind === "email")
    return {
      name: d.name,
      kind: "email",
      config: {
        host: d.host,
        port: d.port,
        security: d.security,
        credential: d.credential || undefined,
        from: d.from,
        to: d.to.split(/[,\s]+/).filter(Boolean),
      },
    };
  if (d.kind === "webhook") return { name: d.name, kind: "webhook", config: { url: d.url, secretCredential: d.secretCredential } };
  return { name: d.name, kind: "inapp", config: {} };
}

/** A new channel; secrets are named (a stored credential), never typed here. */
export function ChannelDialog({ onClose, onSaved }: { onClose: () => void; onSaved: (text: string) => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [credentials, setCredentials] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => void api.credentials.list.query().then((list) => setCredentials(list.map((c) => c.name)), () => setCredentials([])), []);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const text = (key: keyof Draft, label: string, help?: string, type = "text") => (
    <LabeledField label={label} help={help}>
      <input className="input" type={type} list={key.toLowerCase().includes("credential") ? "alert-credentials" : undefined} value={String(draft[key])} onChange={(e) => set({ [key]: type === "number" ? Number(e.target.value) : e.target.value })} />
    </LabeledField>
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.alerts.channels.create.mutate(toInput(draft));
      onSaved(`Channel “${draft.name}” created.`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Dialog title="New alert channel" open onClose={onClose}>
      <form className="dialog-form alert-form" onSubmit={(e) => void submit(e)}>
        {text("name", "Name")}
        <LabeledField label="Kind">
          <select className="input" value={draft.kind} onChange={(e) => set({ kind: e.target.value as Kind })}>
            <option value="email">Email (SMTP)</option>
            <option value="webhook">Webhook</option>
            <option value="inapp">In-app</option>
          </select>
        </LabeledField>
        {draft.kind === "email" && (
          <>
            {text("host", "SMTP host")}
            {text("port", "Port", undefined, "number")}
            <LabeledField label="Security">
              <select className="input" value={draft.security} onChange={(e) => set({ security: e.target.value as Draft["security"] })}>
                <option value="starttls">STARTTLS (required)</option>
                <option value="tls">TLS (port 465)</option>
                <option value="none">None (local relay only)</option>
              </select>
            </LabeledField>
            {text("credential", "SMTP login credential", "The name of a stored basic credential (user name and password); empty for a relay without login.")}
            {text("from", "From")}
            {text("to", "To", "One or more addresses, separated by commas.")}
          </>
        )}
        {draft.kind === "webhook" && (
          <>
            {text("url", "URL")}
            {text("secretCredential", "Signing secret credential", "The name of a stored webhookSecret credential (whsec_…).")}
          </>
        )}
        {draft.kind === "inapp" && <p className="muted small">Nothing is sent: incidents appear on this page.</p>}
        <datalist id="alert-credentials">
          {credentials.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <DialogActions error={error} submitLabel="Create channel" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
