import type { FieldProps } from "./types";

/** A URL field (named `url`/`…Url`, or `format: uri`) whose value is a plain http:// address. */
export function isUrlField(field: Pick<FieldProps, "name" | "schema">): boolean {
  return field.schema.format === "uri" || /(^|[a-z])(url|Url|URL)$/.test(field.name) || field.name.toLowerCase() === "url";
}

/** Warns inline that an http:// address sends the data (and any credential) unencrypted. */
export function PlainHttpWarning({ field }: { field: Pick<FieldProps, "name" | "schema" | "value"> }) {
  if (!isUrlField(field) || typeof field.value !== "string" || !/^http:\/\//i.test(field.value.trim())) return null;
  return (
    <p className="field-warning" role="status">
      Not encrypted; use https:// (anyone on the way can read what is sent).
    </p>
  );
}
