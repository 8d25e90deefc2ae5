"use client";

import { useCallback, useEffect, useState } from "react";
import { Notice } from "../../components/Notice";
import { errorText } from "../../lib/errors";
import { api } from "../../lib/trpc";
import type { AuditPage } from "../../lib/types";
import { AuditFilters, type Filters } from "./AuditFilters";
import { AuditTable } from "./AuditTable";
import { SuspiciousBanner } from "./SuspiciousBanner";

export const PAGE_SIZE = 25;

/** Newest first; paging walks back with the `before` cursor and remembers the way forward. */
export function AuditView() {
  const [filters, setFilters] = useState<Filters>({ action: "", outcome: "" });
  // Cursors of the pages before this one; the last is the current page's (undefined: newest).
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [page, setPage] = useState<AuditPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const before = cursors.at(-1);

  const load = useCallback(() => {
    api.audit.list
      .query({ limit: PAGE_SIZE, before, action: filters.action || undefined, outcome: filters.outcome || undefined })
      .then((p) => {
        setPage(p);
        setError(undefined);
      })
      .catch((e: unknown) => setError(`Could not load the audit log: ${errorText(e)}`));
  }, [before, filters]);
  useEffect(load, [load]);

  const filter = (next: Filters) => {
    setFilters(next);
    setCursors([undefined]);
  };

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted page-sub">Sign-ins, changes to users and credentials, and refused requests, newest first.</p>
        </div>
        <button type="button" className="btn" onClick={load}>
          Refresh
        </button>
      </div>
      <SuspiciousBanner onShow={() => filter({ action: "", outcome: "suspicious" })} />
      {error && <Notice kind="error">{error}</Notice>}
      <AuditFilters value={filters} onChange={filter} />
      {!page && !error && <p className="muted">Loading…</p>}
      {page && page.items.length === 0 && <div className="empty">Nothing matches these filters.</div>}
      {page && page.items.length > 0 && <AuditTable items={page.items} />}
      <div className="pager">
        <button type="button" className="btn" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          ← Newer
        </button>
        <span className="muted small">Page {cursors.length}</span>
        <button type="button" className="btn" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>
          Older →
        </button>
      </div>
    </section>
  );
}
