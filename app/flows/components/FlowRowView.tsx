"use client";

import Link from "next/link";
import { needsRole, type UserRole } from "../../lib/roles";
import type { FlowRow } from "../../lib/types";

export interface RowActions {
  onToggle: (active: boolean) => void;
  onRename: () => void;
  onDuplicate: () => void;
  onExport: () => void;
  onDelete: () => void;
}

/** What the signed-in role may do with a row; the server checks again. */
export interface RowAllowed {
  build: boolean;
  activate: boolean;
  role: UserRole | undefined;
}

export function FlowRowView({ flow, actions, allowed }: { flow: FlowRow; actions: RowActions; allowed: RowAllowed }) {
  const last = flow.lastExecution;
  const buildReason = allowed.build ? undefined : needsRole("Changing flows", "editor", allowed.role);
  const edit = { disabled: !allowed.build, title: buildReason };
  return (
    <tr>
      <td>
        <Link href={`/flows/${flow.id}`} className="flow-link">
          {flow.name}
        </Link>
      </td>
      <td>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={flow.active}
            aria-label={`Active: ${flow.name}`}
            disabled={!allowed.activate}
            title={allowed.activate ? undefined : needsRole("Switching flows on and off", "admin", allowed.role)}
            onChange={(e) => actions.onToggle(e.target.checked)}
          />
          <span className={flow.active ? "pill pill-on" : "pill"}>{flow.active ? "active" : "inactive"}</span>
        </label>
      </td>
      <td>v{flow.version}</td>
      <td>
        {last ? (
          <Link href={`/flows/${flow.id}/executions/${last.id}`} title={new Date(last.startedAt).toLocaleString()}>
            <span className={`status status-${last.status}`}>{last.status}</span>
          </Link>
        ) : (
          <span className="muted">never run</span>
        )}
      </td>
      <td>
        <div className="row-actions">
          <button type="button" className="btn btn-small" {...edit} onClick={actions.onRename} aria-label={`Rename ${flow.name}`}>
            Rename
          </button>
          <button type="button" className="btn btn-small" {...edit} onClick={actions.onDuplicate} aria-label={`Duplicate ${flow.name}`}>
            Duplicate
          </button>
          <button type="button" className="btn btn-small" onClick={actions.onExport} aria-label={`Export ${flow.name}`}>
            Export
          </button>
          <button type="button" className="btn btn-small" {...edit} onClick={actions.onDelete} aria-label={`Delete ${flow.name}`}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
