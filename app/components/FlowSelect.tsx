"use client";

interface FlowSelectProps {
  flows: readonly { id: string; name: string }[];
  value: string;
  onChange: (flowId: string) => void;
  anyLabel: string;
  /** Set by LabeledField, which ties its label to the control by id. */
  id?: string;
  "aria-describedby"?: string;
}

/** A select of flows by name, with a first option for "no particular flow" (value ""). */
export function FlowSelect({ flows, value, onChange, anyLabel, ...tie }: FlowSelectProps) {
  return (
    <select className="input" value={value} onChange={(e) => onChange(e.target.value)} {...tie}>
      <option value="">{anyLabel}</option>
      {flows.map((f) => (
        <option key={f.id} value={f.id}>
          {f.name}
        </option>
      ))}
    </select>
  );
}
