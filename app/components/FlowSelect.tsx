"use client";

/** A select of flows by name, with a first option for "no particular flow" (value ""). */
export function FlowSelect({ flows, value, onChange, anyLabel }: { flows: readonly { id: string; name: string }[]; value: string; onChange: (flowId: string) => void; anyLabel: string }) {
  return (
    <select className="input" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{anyLabel}</option>
      {flows.map((f) => (
        <option key={f.id} value={f.id}>
          {f.name}
        </option>
      ))}
    </select>
  );
}
