"use client";

import { useState } from "react";
import { Dialog } from "../../components/Dialog";

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
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {action}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
