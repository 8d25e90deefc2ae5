"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { ExecutionSummary } from "../../../lib/types";

/** The runs of one flow, newest first, page by page. */
export function ExecutionList({ flowId }: { flowId: string }) {
  const [name, setName] = useState<string>();
  const [items, setItems] = useState<ExecutionSummary[] | undefined>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const loadPage = (before?: string) =>
    api.executions.list
      .query({ flowId, limit: 50, before })
      .then((page) => {
        setItems((prev) => (before ? [...(prev ?? []), ...page.items] : page.items));
        setCursor(page.nextCursor);
      })
      .catch((e: unknown) => setError(errorText(e)));
  useEffect(() => {
    void api.flows.get.query({ id: flowId }).then((f) => setName(f.name), (e: unknown) => setError(errorText(e)));
    void loadPage();
  }, [flowId]);
  return (
    <section className="page">
      <div className="page-head">
        <h1>Executions{name && ` of “${name}”`}</h1>
        <Link className="btn" href={`/flows/${flowId}`}>
          Open the editor
        </Link>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items?.length === 0 && (
        <div className="empty">
          <h2>No executions yet</h2>
          <p>Live runs appear here once the flow is active and its trigger fires. Test runs from the editor are not recorded.</p>
        </div>
      )}
      {items && items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Started</th>
              <th>Status</th>
              <th>Version</th>
              <th>Mode</th>
              <th>Duration</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link href={`/flows/${flowId}/executions/${e.id}`}>{new Date(e.startedAt).toLocaleString()}</Link>
                </td>
                <td>
                  <span className={`status status-${e.status}`}>{e.status}</span>
                </td>
                <td>v{e.flowVersion}</td>
                <td>{e.mode}</td>
                <td>{e.durationMs === null ? "—" : `${e.durationMs} ms`}</td>
                <td className="muted small">{e.error ? `${e.error.code}: ${e.error.message}` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <p>
          <button type="button" className="btn" onClick={() => void loadPage(cursor)}>
            Older executions
          </button>
        </p>
      )}
    </section>
  );
}
