"use client";

import { useState } from "react";
import { Dialog } from "../../components/Dialog";
import { DialogActions } from "../../components/DialogActions";

/** Ask for a flow name (new flow, rename); shows the server's refusal in place. */
export function NameDialog({
  title,
  action,
  initial,
  onSubmit,
  onClose,
}: {
  title: string;
  action: string;
  initial: string;
  onSubmit: (name: string) => Promise<string | undefined>;
  onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={title} open onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void onSubmit(name.trim()).then((problem) => {
            setBusy(false);
            setError(problem);
          });
        }}
      >
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" autoFocus value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <DialogActions error={error} submitLabel={action} onCancel={onClose} disabled={busy || !name.trim()} />
      </form>
    </Dialog>
  );
}
