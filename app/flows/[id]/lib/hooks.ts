"use client";

import { useEffect } from "react";
import { api } from "../../../lib/trpc";
import { currentDoc, toGraphNode, useEditor } from "../store";
import { writeDraft, writeSample } from "./draft";

/** Validate and refresh config-dependent ports shortly after each edit (one batched request). */
export function useLiveValidation(enabled: boolean): void {
  const revision = useEditor((s) => s.revision);
  const nodes = useEditor((s) => s.nodes);
  useEffect(() => {
    if (!enabled) return;
    const timer = setTimeout(() => {
      const s = useEditor.getState();
      const doc = currentDoc(s);
      void Promise.all([api.flows.validate.mutate({ doc }), api.nodes.ports.query({ nodes: s.nodes.map(toGraphNode) })])
        .then(([result, ports]) => {
          useEditor.getState().setProblems(result.problems);
          useEditor.getState().setPorts(ports);
        })
        .catch(() => {
          // The next edit tries again; a lost validation must not interrupt editing.
        });
    }, 250);
    return () => clearTimeout(timer);
    // `nodes` too: the first load has revision 0 but still needs checking.
  }, [revision, nodes.length, enabled]);
}

/** Keep unsaved changes as a draft, and warn before the page is left with them. */
export function useDraft(flowId: string, baseVersion: number | undefined, enabled: boolean): void {
  const revision = useEditor((s) => s.revision);
  const savedRevision = useEditor((s) => s.savedRevision);
  const sample = useEditor((s) => s.sample);
  const dirty = revision !== savedRevision;
  useEffect(() => {
    if (!enabled || !dirty || baseVersion === undefined) return;
    const timer = setTimeout(() => writeDraft(flowId, { baseVersion, doc: currentDoc(), savedAt: Date.now() }), 300);
    return () => clearTimeout(timer);
  }, [flowId, baseVersion, revision, dirty, enabled]);
  useEffect(() => {
    if (enabled) writeSample(flowId, sample);
  }, [flowId, sample, enabled]);
  useEffect(() => {
    if (!dirty || !enabled) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty, enabled]);
}

function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || !!target.closest(".monaco-editor");
}

/** Editor shortcuts: undo/redo, copy/paste, delete, save. Ignored while typing in a field. */
export function useShortcuts(actions: { save: () => void }): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === "s") {
        event.preventDefault();
        actions.save();
        return;
      }
      if (typingInField(event.target)) return;
      const s = useEditor.getState();
      if (mod && key === "z") {
        event.preventDefault();
        if (event.shiftKey) s.redo();
        else s.undo();
      } else if (mod && key === "y") {
        event.preventDefault();
        s.redo();
      } else if (mod && key === "c") s.copySelected();
      else if (mod && key === "v" && !s.readOnly) s.paste();
      else if ((event.key === "Delete" || event.key === "Backspace") && !s.readOnly) {
        event.preventDefault();
        s.deleteSelected();
      } else if (event.key === "Escape") s.inspect(undefined);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [actions]);
}
