"use client";

import { useState, type FormEvent } from "react";
import { Dialog } from "../../components/Dialog";
import { errorText } from "../../lib/errors";
import { ROLE_HELP, ROLES, type UserRole } from "../../lib/roles";
import { api } from "../../lib/trpc";
import { LabeledField } from "../../components/LabeledField";
import { DialogActions } from "../../components/DialogActions";

const MIN_PASSWORD = 10;

/** A new account with an initial password the admin passes on; the server checks and refuses in place. */
export function CreateUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (email: string) => void }) {
  const [form, setForm] = useState({ email: "", name: "", role: "editor" as UserRole, password: "" });
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await api.users.create.mutate({ email: form.email.trim(), name: form.name.trim() || undefined, role: form.role, password: form.password });
      onCreated(created.email);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title="New user" open onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <LabeledField label="Email">
          <input className="input" type="email" autoFocus required autoComplete="off" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </LabeledField>
        <LabeledField label="Name">
          <input className="input" maxLength={200} placeholder="Optional" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </LabeledField>
        <LabeledField label="Role">
          <select className="input" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as UserRole })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r} — {ROLE_HELP[r]}
              </option>
            ))}
          </select>
        </LabeledField>
        <LabeledField label="Initial password" help={`At least ${MIN_PASSWORD} characters. Pass it on privately.`}>
          <input className="input" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </LabeledField>
        <DialogActions error={error} submitLabel="Create user" onCancel={onClose} disabled={busy} />
      </form>
    </Dialog>
  );
}
