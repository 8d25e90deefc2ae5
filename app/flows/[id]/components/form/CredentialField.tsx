"use client";

import { useFormContext } from "./context";
import { FieldShell } from "./FieldShell";
import { fieldId, type FieldProps } from "./types";

/**
 * A credential is picked by name from those of the kinds the node accepts; its secret never reaches
 * the browser. People who may not list credentials type the name instead.
 */
export function CredentialField(props: FieldProps) {
  const ctx = useFormContext();
  const id = fieldId(ctx, props.path);
  const value = typeof props.value === "string" ? props.value : "";
  const kinds = ctx.credentialKinds;
  const change = (next: string) => props.onChange(next === "" ? undefined : next);

  if (!ctx.credentials)
    return (
      <FieldShell field={props}>
        <input id={id} className="input" autoComplete="off" placeholder="Name of a stored credential" value={value} readOnly={ctx.readOnly} onChange={(e) => change(e.target.value)} />
      </FieldShell>
    );

  const fitting = ctx.credentials.filter((c) => !kinds || kinds.includes(c.kind));
  const missing = value !== "" && !fitting.some((c) => c.name === value);
  return (
    <FieldShell field={props}>
      <div className="credential-pick">
        <select id={id} className="input" value={value} disabled={ctx.readOnly} onChange={(e) => change(e.target.value)}>
          <option value="">{fitting.length ? "Choose a credential…" : "No credential of a fitting kind"}</option>
          {fitting.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.kind})
            </option>
          ))}
          {missing && <option value={value}>{value} (not found)</option>}
        </select>
        <a className="btn btn-small" href="/settings/credentials" target="_blank" rel="noopener" title="Opens the Credentials page in a new tab">
          Manage
        </a>
      </div>
      {kinds && (
        <p className="field-help">
          Kinds this node uses: {kinds.join(", ")}.{fitting.length === 0 && " An admin creates one on the Credentials page."}
        </p>
      )}
    </FieldShell>
  );
}
