"use client";

import { useMemo, useState, type FormEvent } from "react";
import { Dialog } from "../../../components/Dialog";
import { errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { CredentialRow } from "../../../lib/types";
import { formToData, generateWebhookSecret, KIND_LABEL, KIND_NAMES, kindFields, kindLabel, type CredentialKind } from "../kinds";
import { GeneratedSecret } from "./GeneratedSecret";
import { KindFieldInput } from "./KindFieldInput";
import { LabeledField } from "../../../components/LabeledField";
import { DialogActions } from "../../../components/DialogActions";

/**
 * Create a credential, or rotate one (`rotating` set): the same form, with name and kind fixed. A
 * rotation re-enters every field, since Gate never sends stored values back to the browser.
 */
export function CredentialDialog({ rotating, onClose, onSaved }: { rotating?: CredentialRow; onClose: () => void; onSaved: (text: string) => void }) {
  const [name, setName] = useState(rotating?.name ?? "");
  const [kind, setKind] = useState<CredentialKind>((rotating?.kind as CredentialKind | undefined) ?? "bearer");
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [rotationDays, setRotationDays] = useState(rotating?.rotationDays ? String(rotating.rotationDays) : "");
  const [graceHours, setGraceHours] = useState("24");
  const [generated, setGenerated] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const fields = useMemo(() => kindFields(kind), [kind]);

  const pickKind = (next: CredentialKind) => {
    setKind(next);
    setValues({});
    setGenerated(undefined);
  };
  const generate = () => {
    const secret = generateWebhookSecret();
    setGenerated(secret);
    setValues({ ...values, secret });
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.credentials.set.mutate({
        name: name.trim(),
        kind,
        data: formToData(fields, values),
        rotationDays: rotationDays === "" ? (rotating ? undefined : null) : Number(rotationDays),
        graceHours: rotating ? Number(graceHours) : undefined,
      });
      onSaved(result.created ? `Credential “${result.credential.name}” created.` : `Credential “${result.credential.name}” rotated.`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <Dialog title={rotating ? `Rotate “${rotating.name}”` : "New credential"} open onClose={onClose}>
      <form className="dialog-form credential-form" onSubmit={(e) => void submit(e)}>
        {rotating ? (
          <p className="muted small">
            Enter the new values of this {kindLabel(kind)} credential. Gate never shows stored values, so every field starts empty. The old secret keeps working for inbound checks during the grace period.
          </p>
        ) : (
          <>
            <LabeledField label="Name" help="Nodes pick the credential by this name.">
              <input className="input" autoFocus required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. crm-api" />
            </LabeledField>
            <LabeledField label="Kind">
              <select className="input" value={kind} onChange={(e) => pickKind(e.target.value as CredentialKind)}>
                {KIND_NAMES.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </LabeledField>
          </>
        )}
        <fieldset className="fieldset">
          <legend>{kindLabel(kind)}</legend>
          {fields.map((field) => (
            <KindFieldInput key={`${kind}:${field.name}`} field={field} value={values[field.name]} onChange={(v) => setValues({ ...values, [field.name]: v })} />
          ))}
          {kind === "webhookSecret" && (
            <button type="button" className="btn btn-small generate-btn" onClick={generate}>
              Generate a secret
            </button>
          )}
          {generated && <GeneratedSecret value={generated} />}
          {kind === "oauth2AuthorizationCode" && <p className="field-help">After saving, press Connect in the list to sign in at the provider; Gate stores the tokens it gets back.</p>}
        </fieldset>
        <div className="form-row">
          <LabeledField label="Rotation reminder (days)">
            <input className="input" type="number" min={1} max={3650} placeholder="None" value={rotationDays} onChange={(e) => setRotationDays(e.target.value)} />
          </LabeledField>
          {rotating && (
            <LabeledField label="Old secret valid for (hours)">
              <input className="input" type="number" min={0} max={720} required value={graceHours} onChange={(e) => setGraceHours(e.target.value)} />
            </LabeledField>
          )}
        </div>
        <DialogActions error={error} submitLabel={rotating ? "Rotate" : "Save credential"} onCancel={onClose} disabled={busy} />
      </form>
    </Dialog>
  );
}
