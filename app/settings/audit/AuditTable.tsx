import { dateTime, fromNow } from "../../lib/time";
import type { AuditRow } from "../../lib/types";
import { describeSuspicion, detailText } from "./describe";

export function AuditTable({ items }: { items: AuditRow[] }) {
  return (
    <table className="table audit-table">
      <thead>
        <tr>
          <th>When</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Target</th>
          <th>Outcome</th>
          <th>Source</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id} className={e.outcome === "suspicious" ? "row-suspicious" : undefined}>
            <td title={dateTime(e.at)}>{fromNow(e.at)}</td>
            <td>{e.actor}</td>
            <td>
              <code>{e.action}</code>
            </td>
            <td className="cell-clip" title={e.target ?? undefined}>
              {e.target ?? <span className="muted">—</span>}
            </td>
            <td>
              <span className={`status outcome-${e.outcome}`}>{e.outcome}</span>
            </td>
            <td>{e.sourceIp ?? <span className="muted">—</span>}</td>
            <td className="muted small cell-clip">{e.outcome === "suspicious" ? describeSuspicion(e) : detailText(e.detail)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
