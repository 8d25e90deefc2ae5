"use client";

import { useEffect, useState } from "react";
import { api } from "../../lib/trpc";
import { fromNow } from "../../lib/time";
import type { AuditRow } from "../../lib/types";
import { describeSuspicion } from "./describe";

const RECENT_MS = 24 * 3600_000;

/** What needs an admin's eye first: suspicious activity of the last day, whatever the filters. */
export function SuspiciousBanner({ onShow }: { onShow: () => void }) {
  const [recent, setRecent] = useState<AuditRow[]>([]);
  useEffect(() => {
    api.audit.list
      .query({ limit: 5, outcome: "suspicious" })
      .then((p) => setRecent(p.items.filter((e) => Date.now() - e.at < RECENT_MS)))
      .catch(() => setRecent([]));
  }, []);
  if (recent.length === 0) return null;
  return (
    <div className="notice notice-error suspicious-banner" role="alert">
      <div>
        <strong>Suspicious activity in the last 24 hours</strong>
        <ul>
          {recent.map((e) => (
            <li key={e.id}>
              {describeSuspicion(e)} <span className="muted">({fromNow(e.at)})</span>
            </li>
          ))}
        </ul>
      </div>
      <button type="button" className="btn btn-small" onClick={onShow}>
        Show only these
      </button>
    </div>
  );
}
