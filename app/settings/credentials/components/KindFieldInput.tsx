"use client";

import { humanize, type KindField } from "../kinds";

/**
 * One field of a credential kind. Secret fields are password inputs that start empty: the server
 * never sends a stored value, so there is nothing to pre-fill.
 */
export function KindFieldInput({ field, value, onChange }: { field: KindField; value: string | boolean | undefined; onChange: (value: string | boolean) => void }) {
  const id = `cred-${field.name}`;
  const { schema } = field;
  const label = (
    <label htmlFor={id} className="field-label">
      {schema.title ?? humanize(field.name)}
      {field.required && <span className="required" aria-hidden="true"> *</span>}
      {field.secret && (
        <span className="pill secret-pill" aria-hidden="true">
          secret
        </span>
      )}
    </label>
  );
  if (schema.type === "boolean")
    return (
      <div className="field field-inline">
        <input id={id} type="checkbox" checked={value === true || (value === undefined && schema.default === true)} onChange={(e) => onChange(e.target.checked)} />
        {label}
        {schema.description && <p className="field-help">{schema.description}</p>}
      </div>
    );
  const text = typeof value === "string" ? value : "";
  const fallback = typeof schema.default === "string" || typeof schema.default === "number" ? String(schema.default) : "";
  const placeholder = fallback || (field.required ? undefined : "Optional");
  return (
    <div className="field">
      {label}
      {schema.enum ? (
        <select id={id} className="input" value={text || fallback} onChange={(e) => onChange(e.target.value)}>
          {schema.enum.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      ) : field.multiline ? (
        <textarea
          id={id}
          className={`input textarea${field.secret ? " masked" : ""}`}
          rows={4}
          spellCheck={false}
          required={field.required}
          placeholder={field.secret ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN CERTIFICATE-----"}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          id={id}
          className="input"
          type={field.secret ? "password" : schema.type === "integer" || schema.type === "number" ? "number" : schema.format === "uri" ? "url" : "text"}
          autoComplete={field.secret ? "new-password" : "off"}
          spellCheck={false}
          required={field.required}
          min={schema.minimum}
          max={schema.maximum}
          placeholder={placeholder}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {schema.description && <p className="field-help">{schema.description}</p>}
    </div>
  );
}
