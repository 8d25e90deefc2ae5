"use client";

import { useState, type FormEvent } from "react";
import { Dialog } from "../../../components/Dialog";
import { LabeledField } from "../../../components/LabeledField";
import { errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { AlertChannel, AlertRule, FlowRow } from "../../../lib/types";
import { KIND_NAMES, RULE_KINDS } from "./rule-kinds";
import { DialogActions } from "../../../components/DialogActions";

type Kind = AlertRule["kind"];

/** A new rule: kind and its parameters, the flow it watches (or all), and the channels it tells. */
export function RuleDialog({ channels, flows, onClose, onSaved }: { channels: AlertChannel[]; flows: FlowRow[]; onClose: () => void; onSaved: (text: string) => void }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<Kind>("consecutiveFailures");
  const [params, setParams] = useState<Record<string, number>>({ ...RULE_KINDS.consecutiveFailures.params });
  const [flowId, setFlowId] = useState("");
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  const labels = RULE_KINDS[kind].labels as Record<string, string>;

  const pickKind = (next: Kind) => {
    setKind(next);
    setParams({ ...(RULE_KINDS[next].params as Record<string, number>) });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const rule = { name, kind, params, flowId: flowId || null, channelIds } as Parameters<typeof api.alerts.rules.create.mutate>[0];
      await api.alerts.rules.create.mutate(rule);
      onSaved(`Rule “${name}” created.`);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <Dialog title="New alert rule" open onClose={onClose}>
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
          <select className="input" value={flowId} onChange={(e) => setFlowId(e.target.value)}>
            <option value="">Every flow</option>
            {flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
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
        <DialogActions error={error} submitLabel="Create rule" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
