"use client";

import { useEffect, useState, type FormEvent } from "react";
import { Dialog } from "../../../components/Dialog";
import { LabeledField } from "../../../components/LabeledField";
import { errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { AlertChannel } from "../../../lib/types";
import { DialogActions } from "../../../components/DialogActions";

type Kind = AlertChannel["kind"];
type ChannelEdit = Parameters<typeof api.alerts.channels.update.mutate>[0]["channel"];
type ChannelInput = Parameters<typeof api.alerts.channels.create.mutate>[0];

interface Draft {
  name: string;
  kind: Kind;
  enabled: boolean;
  host: string;
  port: number;
  security: "starttls" | "tls" | "none";
  credential: string;
  from: string;
  to: string;
  /** Empty when editing a webhook: the server keeps the stored URL, which it never sends here. */
  url: string;
  secretCredential: string;
  /** Not in the form; an edit keeps the channel's own. */
  timeoutMs: number | undefined;
}

const EMPTY: Draft = {
  name: "",
  kind: "email",
  enabled: true,
  host: "",
  port: 587,
  security: "starttls",
  credential: "",
  from: "",
  to: "",
  url: "",
  secretCredential: "",
  timeoutMs: undefined,
};

/** The form's fields from a stored channel (a webhook's URL stays empty: see Draft.url). */
function toDraft(channel: AlertChannel): Draft {
  const base = { ...EMPTY, name: channel.name, kind: channel.kind, enabled: channel.enabled };
  if (channel.kind === "email") {
    const { host, port, security, credential, from, to } = channel.config;
    return { ...base, host, port, security, credential: credential ?? "", from, to: to.join(", ") };
  }
  if (channel.kind === "webhook") return { ...base, secretCredential: channel.config.secretCredential, timeoutMs: channel.config.timeoutMs };
  return base;
}

/** Create and edit both send this shape; only an edit may leave a webhook's URL out (kept as stored). */
function toInput(d: Draft): ChannelEdit {
  const common = { name: d.name, enabled: d.enabled };
  if (d.kind === "email")
    return {
      ...common,
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
  if (d.kind === "webhook")
    return { ...common, kind: "webhook", config: { url: d.url.trim() || undefined, secretCredential: d.secretCredential, timeoutMs: d.timeoutMs } };
  return { ...common, kind: "inapp", config: {} };
}

/** A new channel has no stored URL to keep: a webhook must have one (the field is required). */
function forCreate(input: ChannelEdit): ChannelInput | undefined {
  if (input.kind !== "webhook") return input;
  const { url } = input.config;
  return url ? { ...input, config: { ...input.config, url } } : undefined;
}

/**
 * A new channel, or an existing one (`channel`) to change. Secrets are named (a stored credential),
 * never typed here; a webhook's URL is never shown back, so editing leaves it as it is unless a new
 * one is typed.
 */
export function ChannelDialog({ channel, onClose, onSaved }: { channel?: AlertChannel; onClose: () => void; onSaved: (text: string) => void }) {
  const [draft, setDraft] = useState<Draft>(() => (channel ? toDraft(channel) : EMPTY));
  const [credentials, setCredentials] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => void api.credentials.list.query().then((list) => setCredentials(list.map((c) => c.name)), () => setCredentials([])), []);
  // Only a channel that already is a webhook has a URL to keep.
  const storedUrl = channel?.kind === "webhook" ? channel.config.shownUrl : undefined;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const text = (key: keyof Draft, label: string, help?: string, type = "text", extra: { required?: boolean; placeholder?: string } = {}) => (
    <LabeledField label={label} help={help}>
      <input
        className="input"
        type={type}
        list={key.toLowerCase().includes("credential") ? "alert-credentials" : undefined}
        value={String(draft[key] ?? "")}
        onChange={(e) => set({ [key]: type === "number" ? Number(e.target.value) : e.target.value })}
        {...extra}
      />
    </LabeledField>
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const input = toInput(draft);
      if (channel) {
        await api.alerts.channels.update.mutate({ id: channel.id, channel: input });
        onSaved(`Channel “${draft.name}” saved.`);
      } else {
        const created = forCreate(input);
        if (!created) return setError("A webhook channel needs the URL to send alerts to.");
        await api.alerts.channels.create.mutate(created);
        onSaved(`Channel “${draft.name}” created.`);
      }
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Dialog title={channel ? `Edit alert channel “${channel.name}”` : "New alert channel"} open onClose={onClose}>
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
            {storedUrl
              ? text("url", "URL", `Now ${storedUrl} — the rest of the address is not shown, as it may hold the receiver's token. Leave empty to keep the current URL.`, "url", {
                  placeholder: "unchanged",
                })
              : text("url", "URL", undefined, "url", { required: true })}
            {text("secretCredential", "Signing secret credential", "The name of a stored webhookSecret credential (whsec_…).")}
          </>
        )}
        {draft.kind === "inapp" && <p className="muted small">Nothing is sent: incidents appear on this page.</p>}
        <label className="checkbox-row">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled — a switched-off channel is skipped by every rule
        </label>
        <datalist id="alert-credentials">
          {credentials.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <DialogActions error={error} submitLabel={channel ? "Save channel" : "Create channel"} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
