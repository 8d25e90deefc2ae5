"use client";

import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useRef } from "react";
import { forgetModel, setCompletionPaths, setupMonaco } from "../../../lib/monaco/setup";

setupMonaco();

export interface MonacoFieldProps {
  value: string;
  onChange?: (value: string) => void;
  language: "jsonata" | "gate-json" | "javascript";
  /** A stable name for the model, e.g. `node/map/fields[0].expr`. */
  modelPath: string;
  height: number;
  label: string;
  completionPaths?: string[];
  readOnly?: boolean;
}

/** Monaco configured for small embedded fields; loaded only in the browser (see CodeField). */
export default function MonacoField({ value, onChange, language, modelPath, height, label, completionPaths, readOnly }: MonacoFieldProps) {
  const uri = useRef<string | undefined>(undefined);
  const onMount: OnMount = (editor) => {
    uri.current = editor.getModel()?.uri.toString();
    if (uri.current && completionPaths) setCompletionPaths(uri.current, completionPaths);
    const textarea = editor.getDomNode()?.querySelector("textarea");
    textarea?.setAttribute("aria-label", label);
  };
  useEffect(() => {
    if (uri.current && completionPaths) setCompletionPaths(uri.current, completionPaths);
  }, [completionPaths]);
  useEffect(
    () => () => {
      if (uri.current) forgetModel(uri.current);
    },
    [],
  );
  return (
    <div className="code-field" style={{ height }} data-language={language}>
      <Editor
        value={value}
        language={language}
        path={`inmemory://gate/${modelPath}`}
        theme="gate"
        onChange={(v) => onChange?.(v ?? "")}
        onMount={onMount}
        loading={<div className="code-loading">Loading editor…</div>}
        options={{
          readOnly,
          minimap: { enabled: false },
          lineNumbers: language === "jsonata" ? "off" : "on",
          lineNumbersMinChars: 3,
          folding: false,
          tabSize: 2,
          glyphMargin: false,
          scrollBeyondLastLine: false,
          wordWrap: "on",
          fontSize: 13,
          automaticLayout: true,
          tabFocusMode: language === "jsonata",
          wordBasedSuggestions: "off",
          quickSuggestions: language === "jsonata",
          fixedOverflowWidgets: true,
          renderLineHighlight: "none",
          overviewRulerLanes: 0,
          scrollbar: { verticalScrollbarSize: 8, horizontalScrollbarSize: 8, alwaysConsumeMouseWheel: false },
          padding: { top: 6, bottom: 6 },
        }}
      />
    </div>
  );
}
