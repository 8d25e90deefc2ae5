"use client";

import { dateTime, fromNow } from "../../../lib/time";
import type { CredentialRow } from "../../../lib/types";
import { kindLabel } from "../kinds";
import { ConnectionResult, useConnectionTest } from "./ConnectionTest";

export interface CredentialActions {
  onRotate: () => void;
  onDelete: () => void;
  onConnect: () => void;
}

/** Metadata only: the list never holds a secret, so nothing here can show one. */
export function CredentialRowView({ credential: c, actions }: { credential: CredentialRow; actions: CredentialActions }) {
  const [test, runTest] = useConnectionTest(c.name);
  return (
    <>
      <tr>
        <td>
          <span className="strong">{c.name}</span>
          {c.previousUntil !== null && <p className="muted small cred-note">Previous secret valid until {dateTime(c.previousUntil)}</p>}
        </td>
        <td>{kindLabel(c.kind)}</td>
        <td>
          <code title="A keyed hash of the stored values: it changes when the secret changes">{c.fingerprint}</code>
          {c.last4 && <span className="last4">…{c.last4}</span>}
        </td>
        <td title={dateTime(c.lastRotatedAt)}>
          {fromNow(c.lastRotatedAt)}
          {c.rotationDue && <span className="pill pill-bad cred-badge">rotation due</span>}
        </td>
        <td>{c.lastUsedAt === null ? <span className="muted">never</span> : <span title={dateTime(c.lastUsedAt)}>{fromNow(c.lastUsedAt)}</span>}</td>
        <td>
          <Expiry expiresAt={c.expiresAt} soon={c.expiringSoon} />
        </td>
        <td>
          <div className="row-actions">
            {c.kind === "oauth2AuthorizationCode" && (
              <button type="button" className="btn btn-small" onClick={actions.onConnect} aria-label={`Connect ${c.name}`}>
                Connect
              </button>
            )}
            <button type="button" className="btn btn-small" disabled={test === "running"} onClick={runTest} aria-label={`Test connection ${c.name}`}>
              Test connection
            </button>
            <button type="button" className="btn btn-small" onClick={actions.onRotate} aria-label={`Rotate ${c.name}`}>
              Rotate
            </button>
            <button type="button" className="btn btn-small" onClick={actions.onDelete} aria-label={`Delete ${c.name}`}>
              Delete
            </button>
          </div>
        </td>
      </tr>
      {test && (
        <tr className="conn-row" aria-label={`Connection test of ${c.name}`}>
          <td colSpan={7}>
            <ConnectionResult state={test} />
          </td>
        </tr>
      )}
    </>
  );
}

function Expiry({ expiresAt, soon }: { expiresAt: number | null; soon: boolean }) {
  if (expiresAt === null) return <span className="muted">—</span>;
  const past = expiresAt < Date.now();
  const text = past ? `expired ${fromNow(expiresAt)}` : `expires ${fromNow(expiresAt)}`;
  return (
    <span className={past ? "pill pill-bad" : soon ? "pill pill-warn" : "muted"} title={dateTime(expiresAt)}>
      {text}
    </span>
  );
}
