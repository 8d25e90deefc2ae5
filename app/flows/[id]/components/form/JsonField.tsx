"use client";

import { useEffect, useState } from "react";
import { CodeField } from "../CodeField";
import { useFormContext } from "./context";
import { FieldShell } from "./FieldShell";
import type { FieldProps } from "./types";

/** Any JSON value (a default, a JSON Schema): edited as text, applied only when it parses. */
export function JsonField(props: FieldProps) {
  const ctx = useFormContext();
  const [text, setText] = useState(() => show(props.value));
  const [parseError, setParseError] = useState<string | undefined>();
  // Follow outside changes (undo, another field) unless the text already means the same value.
  useEffect(() => {
    setText((current) => (sameJson(current, props.value) ? current : show(props.value)));
  }, [props.value]);
  const onChange = (next: string) => {
    setText(next);
    if (next.trim() === "") {
      setParseError(undefined);
      props.onChange(undefined);
      return;
    }
    try {
      props.onChange(JSON.parse(next));
      setParseError(undefined);
    } catch (error) {
      setParseError(`Not valid JSON yet: ${(error as Error).message}`);
    }
  };
  const multiline = typeof props.value === "object" && props.value !== null;
  return (
    <FieldShell field={props}>
      <CodeField
        language="gate-json"
        modelPath={`${ctx.nodeId}/${props.path}#json`}
        label={props.schema.title ?? props.name}
        height={multiline ? 160 : 40}
        value={text}
        readOnly={ctx.readOnly}
        onChange={onChange}
      />
      {parseError && <p className="field-error">{parseError}</p>}
    </FieldShell>
  );
}

function show(value: unknown): string {
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}
