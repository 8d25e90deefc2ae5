"use client";

import { useEffect, useState } from "react";
import { KNOWN_ACTIONS, OUTCOMES, type Outcome } from "./describe";
import { LabeledField } from "../../components/LabeledField";

export interface Filters {
  action: string;
  outcome: Outcome | "";
}

export function AuditFilters({ value, onChange }: { value: Filters; onChange: (value: Filters) => void }) {
  const [action, setAction] = useState(value.action);
  useEffect(() => setAction(value.action), [value.action]);
  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter the audit log"
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ ...value, action: action.trim() });
      }}
    >
      <LabeledField label="Action">
        <input className="input" list="audit-actions" placeholder="All actions" value={action} onChange={(e) => setAction(e.target.value)} onBlur={() => action.trim() !== value.action && onChange({ ...value, action: action.trim() })} />
      </LabeledField>
      <datalist id="audit-actions">
        {KNOWN_ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <LabeledField label="Outcome">
        <select className="input" value={value.outcome} onChange={(e) => onChange({ action: action.trim(), outcome: e.target.value as Filters["outcome"] })}>
          <option value="">All outcomes</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </LabeledField>
      <button type="submit" className="btn">
        Apply
      </button>
      {(value.action || value.outcome) && (
        <button type="button" className="btn" onClick={() => onChange({ action: "", outcome: "" })}>
          Clear filters
        </button>
      )}
    </form>
  );
}
