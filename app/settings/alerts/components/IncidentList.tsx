import { dateTime, fromNow } from "../../../lib/time";
import type { AlertIncident } from "../../../lib/types";

/** Incidents that are still open, with who acknowledged them. */
export function IncidentList({ incidents, onAcknowledge }: { incidents: AlertIncident[] | undefined; onAcknowledge?: (incident: AlertIncident) => void }) {
  return (
    <section className="alerts-section" aria-label="Open incidents">
      <h2>Open incidents</h2>
      {!incidents && <p className="muted">Loading…</p>}
      {incidents?.length === 0 && <p className="muted">Nothing is wrong right now.</p>}
      {incidents && incidents.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Incident</th>
              <th>Rule</th>
              <th>Flow</th>
              <th>Opened</th>
              <th>Seen</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {incidents.map((incident) => (
              <tr key={incident.id}>
                <td>{incident.summary}</td>
                <td>
                  {incident.ruleName} <span className="muted small">{incident.ruleKind}</span>
                </td>
                <td>{incident.flowName ?? <span className="muted">all flows</span>}</td>
                <td title={dateTime(incident.openedAt)}>{fromNow(incident.openedAt)}</td>
                <td>{incident.count}×</td>
                <td>
                  <div className="row-actions">
                    {incident.acknowledgedAt ? (
                      <span className="pill" title={dateTime(incident.acknowledgedAt)}>
                        acknowledged by {incident.acknowledgedBy}
                      </span>
                    ) : (
                      onAcknowledge && (
                        <button type="button" className="btn btn-small" onClick={() => onAcknowledge(incident)}>
                          Acknowledge
                        </button>
                      )
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
