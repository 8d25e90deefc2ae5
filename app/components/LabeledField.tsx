"use client";

import { cloneElement, useId, type ReactElement } from "react";

/**
 * A label tied to its control by id, with the help text outside the label: a wrapping label would
 * make the help (and a select's options) part of the control's name for screen readers.
 */
export function LabeledField({ label, help, error, children }: { label: string; help?: string; error?: string; children: ReactElement<{ id?: string; "aria-describedby"?: string }> }) {
  const id = useId();
  const described = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {cloneElement(children, { id, "aria-describedby": described })}
      {help && (
        <p className="field-help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
