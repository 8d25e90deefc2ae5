import type { AlertChannel, AlertRule, FlowRow } from "../../../lib/types";
import { RULE_KINDS, describeParams } from "./rule-kinds";
import { RowActions } from "./RowActions";

export interface RuleListProps {
  rules: AlertRule[];
  channels: AlertChannel[];
  flows: FlowRow[];
  onCreate?: () => void;
  onEdit?: (rule: AlertRule) => void;
  onRemove?: (rule: AlertRule) => void;
}

/** What raises an incident: kind, parameters, the flow watched and the channels told. */
export function RuleList({ rules, channels, flows, onCreate, onEdit, onRemove }: RuleListProps) {
  const channelName = (id: string) => channels.find((c) => c.id === id)?.name ?? "a channel";
  return (
    <section className="alerts-section" aria-label="Rules">
      <div className="section-head">
        <h2>Rules</h2>
        {onCreate && (
          <button type="button" className="btn" onClick={onCreate}>
            New rule
          </button>
        )}
      </div>
      {rules.length === 0 ? (
        <p className="muted">No rules yet: nothing raises an incident.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>When</th>
              <th>Flow</th>
              <th>Channels</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id}>
                <td>
                  {rule.name} {!rule.enabled && <span className="pill">off</span>}
                </td>
                <td>
                  {RULE_KINDS[rule.kind].label}
                  <div className="muted small">
                    {describeParams(rule)} · cooldown {Math.round(rule.cooldownMs / 60_000)} min
                  </div>
                </td>
                <td>{rule.flowId ? (flows.find((f) => f.id === rule.flowId)?.name ?? rule.flowId) : <span className="muted">every flow</span>}</td>
                <td>{rule.channelIds.length ? rule.channelIds.map(channelName).join(", ") : <span className="muted">in-app only</span>}</td>
                <td>
                  <RowActions item={rule} label={`rule ${rule.name}`} onEdit={onEdit} onRemove={onRemove} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
