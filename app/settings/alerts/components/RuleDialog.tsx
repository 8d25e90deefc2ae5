"use client";

import { useState, type FormEvent } from "react";
import { Dialog } from "../../../components/Dialog";
import { LabeledField } from "../../../components/LabeledField";
import { errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { AlertChannel, AlertRule, FlowRow } from "../../../lib/types";
import { KIND_NAMES, RULE_KINDS } from "./rule-kinds";
import { DialogActions } from "../../../components/DialogActions";
import { FlowSelect } from "../../../components/FlowSelect";

type Kind = AlertRule["kind"];
type RuleInput = Parameters<typeof api.alerts.rules.create.mutate>[0];

/** The server's default (docs/alerts.md): an incident is announced at most once per cooldown. */
const DEFAULT_COOLDOWN_MINUTES = 30;

export interface RuleDialogProps {
  /** The rule to change; a new one when absent. */
  rule?: AlertRule;
  channels: AlertChannel[];
  flows: FlowRow[];
  onClose: () => void;
  onSaved: (text: string) => void;
}

/** A rule, new or edited: kind and its parameters, the flow it watches (or all), the channels it tells. */
export function RuleDialog({ rule, channels, flows, onClose, onSaved }: RuleDialogProps) {
  const [name, setName] = useState(rule?.name ?? "");
  const [kind, setKind] = useState<Kind>(rule?.kind ?? "consecutiveFailures");
  const [params, setParams] = useState<Record<string, number>>({ ...((rule?.params ?? RULE_KINDS.consecutiveFailures.params) as Record<string, number>) });
  const [flowId, setFlowId] = useState(rule?.flowId ?? "");
  const [channelIds, setChannelIds] = useState<string[]>(rule?.channelIds ?? []);
  const [cooldownMinutes, setCooldownMinutes] = useState(rule ? Math.round(rule.cooldownMs / 60_000) : DEFAULT_COOLDOWN_MINUTES);
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [error, setError] = useState<string | undefined>();
  const labels = RULE_KINDS[kind].labels as Record<string, string>;

  const pickKind = (next: Kind) => {
    setKind(next);
    // Back to the rule's own values when its kind is picked again, else the new kind's defaults.
    setParams({ ...((rule?.kind === next ? rule.params : RULE_KINDS[next].params) as Record<string, number>) });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const input = { name, kind, params, flowId: flowId || null, channelIds, cooldownMinutes, enabled } as RuleInput;
      if (rule) await api.alerts.rules.update.mutate({ id: rule.id, rule: input });
      else await api.alerts.rules.create.mutate(input);
      onSaved(`Rule “${name}” ${rule ? "saved" : "created"}.`);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <Dialog title={rule ? `Edit alert rule “${rule.name}”` : "New alert rule"} open onClose={onClose}>
      <form className="dialog-form alert-form" onSubmit={(e) => void submit(e)}>
        <LabeledField label="Name">
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} required />
        </LabeledField>
        <LabeledField label="When">
          <select className="input" value={kind} onChange={(e) => pickKind(e.target.value as Kind)}>
            {KIND_NAMES.map((k) => (
              <option key={k} value={k}>
                {RULE_KINDS[k].label}
              </option>
            ))}
          </select>
        </LabeledField>
        {Object.entries(params).map(([param, value]) => (
          <LabeledField key={`${kind}-${param}`} label={labels[param] ?? param}>
            <input className="input" type="number" min={0} value={value} onChange={(e) => setParams({ ...params, [param]: Number(e.target.value) })} />
          </LabeledField>
        ))}
        <LabeledField label="Flow" help="A rule without a flow watches every flow.">
          <FlowSelect flows={flows} value={flowId} onChange={setFlowId} anyLabel="Every flow" />
        </LabeledField>
        <fieldset className="fieldset">
          <legend>Channels</legend>
          {channels.length === 0 && <p className="muted small">No channels: the incident is listed in Gate only.</p>}
          {channels.map((c) => (
            <label key={c.id} className="checkbox-row">
              <input
                type="checkbox"
                checked={channelIds.includes(c.id)}
                onChange={(e) => setChannelIds(e.target.checked ? [...channelIds, c.id] : channelIds.filter((id) => id !== c.id))}
              />
              {c.name} <span className="muted small">{c.kind}</span>
            </label>
          ))}
        </fieldset>
        <LabeledField label="Cooldown (minutes)" help="An incident is announced at most once per cooldown (0: no cooldown).">
          <input className="input" type="number" min={0} value={cooldownMinutes} onChange={(e) => setCooldownMinutes(Number(e.target.value))} />
        </LabeledField>
        <label className="checkbox-row">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled — a switched-off rule raises no incidents
        </label>
        <DialogActions error={error} submitLabel={rule ? "Save rule" : "Create rule"} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
