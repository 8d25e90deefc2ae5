"use client";

import { Fragment } from "react";
import type { JsonSchema } from "../../../../lib/types";
import { useRenderField } from "./context";
import { childPath, isRecord, type FieldProps } from "./types";

/** The properties of an object schema, one field each, in schema order. */
export function ObjectFields({ path, schema, value, onChange }: Pick<FieldProps, "path" | "schema" | "value" | "onChange">) {
  const renderField = useRenderField();
  const object = isRecord(value) ? value : {};
  const required = new Set(schema.required ?? []);
  const entries: [string, JsonSchema][] = Object.entries(schema.properties ?? {});
  return (
    <>
      {entries.map(([key, child]) => (
        <Fragment key={key}>
          {renderField({
            name: key,
            path: childPath(path, key),
            schema: child,
            value: object[key],
            required: required.has(key),
            onChange: (next) => {
              const copy = { ...object };
              if (next === undefined) delete copy[key];
              else copy[key] = next;
              onChange(copy);
            },
          })}
        </Fragment>
      ))}
    </>
  );
}
