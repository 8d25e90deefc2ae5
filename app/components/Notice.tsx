import type { ReactNode } from "react";

/** A message above a page's content: a refusal from the server, or what an action just did. */
export function Notice({ kind, children, onClose }: { kind: "error" | "warn" | "ok"; children: ReactNode; onClose?: () => void }) {
  return (
    <div role={kind === "error" ? "alert" : "status"} className={`notice notice-${kind} page-notice`}>
      <span>{children}</span>
      {onClose && (
        <button type="button" className="btn-icon" aria-label="Dismiss" onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}
