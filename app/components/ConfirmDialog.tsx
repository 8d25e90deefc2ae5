"use client";

import type { ReactNode } from "react";
import { Dialog } from "./Dialog";

/** Ask before something that cannot be undone; Cancel has the focus so Enter does no harm. */
export function ConfirmDialog({ title, confirm, onConfirm, onClose, children }: { title: string; confirm: string; onConfirm: () => void; onClose: () => void; children: ReactNode }) {
  return (
    <Dialog title={title} open onClose={onClose}>
      {children}
      <div className="button-row">
        <button type="button" className="btn" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </Dialog>
  );
}
