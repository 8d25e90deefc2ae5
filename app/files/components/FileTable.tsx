"use client";

import { dateTime, fromNow } from "../../lib/time";
import { formatSize, type FileRow } from "../upload";

/** One row per file: the path a node uses, its size and when it last changed. */
export function FileTable({ files, deleteReason, onDelete }: { files: FileRow[]; deleteReason: string | undefined; onDelete: (file: FileRow) => void }) {
  return (
    <table className="table file-table">
      <thead>
        <tr>
          <th>Path (as nodes use it)</th>
          <th>Size</th>
          <th>Modified</th>
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={f.path}>
            <td>
              <code>{f.path}</code>
            </td>
            <td title={`${f.size.toLocaleString("en")} bytes`}>{formatSize(f.size)}</td>
            <td title={dateTime(f.modifiedAt)}>{fromNow(f.modifiedAt)}</td>
            <td>
              <div className="row-actions">
                <button type="button" className="btn btn-small" disabled={deleteReason !== undefined} title={deleteReason} aria-label={`Delete ${f.path}`} onClick={() => onDelete(f)}>
                  Delete
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
