"use client";

import { useEffect, useState } from "react";
import { errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { VersionInfo } from "../../../lib/types";

/** The flow's saved versions, newest first: view one read-only, or restore it. */
export function VersionsPanel({
  flowId,
  current,
  viewing,
  onView,
  onRestore,
  onClose,
  onDiscardDraft,
}: {
  flowId: string;
  current: number | undefined;
  viewing: number | undefined;
  onView: (version: number) => void;
  onRestore: (version: number) => void;
  onClose: () => void;
  /** Present when there are unsaved changes kept as a draft. */
  onDiscardDraft?: () => void;
}) {
  const [versions, setVersions] = useState<VersionInfo[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api.flows.versions
      .query({ id: flowId })
      .then(setVersions)
      .catch((e: unknown) => setError(errorText(e)));
  }, [flowId, current]);
  return (
    <aside className="inspector versions" aria-label="Versions">
      <header className="inspector-head">
        <div className="inspector-titles">
          <h2>Versions</h2>
          <p className="muted small">Every save is a version. Restoring saves the old one as the newest.</p>
        </div>
        <button type="button" className="btn-icon" aria-label="Close versions" onClick={onClose}>
          ×
        </button>
      </header>
      {error && <p className="field-error">{error}</p>}
      {onDiscardDraft && (
        <div className="draft-row">
          <span className="small">You have unsaved changes (kept as a draft).</span>
          <button type="button" className="btn btn-small" onClick={onDiscardDraft}>
            Discard draft
          </button>
        </div>
      )}
      <ol className="version-list">
        {versions?.map((v) => (
          <li key={v.version} className={v.version === viewing ? "is-viewing" : undefined}>
            <div>
              <strong>v{v.version}</strong>
              {v.version === current && <span className="pill pill-on">current</span>}
              <div className="muted small">
                {new Date(v.createdAt).toLocaleString()}
                {v.note && ` · ${v.note}`}
              </div>
            </div>
            <div className="button-row">
              <button type="button" className="btn btn-small" onClick={() => onView(v.version)} aria-label={`Show version ${v.version}`}>
                Show
              </button>
              {v.version !== current && (
                <button type="button" className="btn btn-small" onClick={() => onRestore(v.version)} aria-label={`Restore version ${v.version}`}>
                  Restore
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </aside>
  );
}
