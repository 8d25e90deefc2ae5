/** Unsaved work survives a reload or a crash: the editor keeps a draft per flow in localStorage. */
import type { FlowDocument } from "../../../lib/types";

export interface Draft {
  /** The saved version the draft started from. */
  baseVersion: number;
  doc: FlowDocument;
  savedAt: number;
}

const draftKey = (flowId: string) => `gate:draft:${flowId}`;
const sampleKey = (flowId: string) => `gate:sample:${flowId}`;

export function readDraft(flowId: string): Draft | undefined {
  try {
    const text = localStorage.getItem(draftKey(flowId));
    return text ? (JSON.parse(text) as Draft) : undefined;
  } catch {
    return undefined;
  }
}

export function writeDraft(flowId: string, draft: Draft): void {
  try {
    localStorage.setItem(draftKey(flowId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the leave warning still protects the work.
  }
}

export function clearDraft(flowId: string): void {
  localStorage.removeItem(draftKey(flowId));
}

export function readSample(flowId: string): string | undefined {
  return localStorage.getItem(sampleKey(flowId)) ?? undefined;
}

export function writeSample(flowId: string, text: string): void {
  try {
    localStorage.setItem(sampleKey(flowId), text);
  } catch {
    // Not worth interrupting anyone for.
  }
}
