"use client";

import { Dialog } from "../../components/Dialog";

export function ConfirmDelete({ name, onConfirm, onClose }: { name: string; onConfirm: () => void; onClose: () => void }) {
  return (
    <Dialog title={`Delete “${name}”?`} open onClose={onClose}>
      <p>The flow, all its versions and its execution history are deleted. This cannot be undone.</p>
      <div className="button-row">
        <button type="button" className="btn" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={onConfirm}>
          Delete flow
        </button>
      </div>
    </Dialog>
  );
}
