"use client";

export interface ReplayOptions {
  from: "trigger" | "failedNode";
  version: "recorded" | "current";
}

/** Where a replay starts and which flow version runs it. */
export function ReplayChoices({ value, onChange, fromNodeAllowed }: { value: ReplayOptions; onChange: (next: ReplayOptions) => void; fromNodeAllowed: boolean }) {
  return (
    <div className="replay-choices">
      <div className="segmented" role="group" aria-label="Replay from">
        <button type="button" aria-pressed={value.from === "trigger"} onClick={() => onChange({ ...value, from: "trigger" })}>
          From the trigger
        </button>
        <button
          type="button"
          aria-pressed={value.from === "failedNode"}
          disabled={!fromNodeAllowed}
          title={fromNodeAllowed ? "Run again from the failed node, on the input it got" : "The failed node's input was not recorded"}
          onClick={() => onChange({ ...value, from: "failedNode" })}
        >
          From the failed node
        </button>
      </div>
      <div className="segmented" role="group" aria-label="Flow version">
        <button type="button" aria-pressed={value.version === "recorded"} onClick={() => onChange({ ...value, version: "recorded" })}>
          Version that failed
        </button>
        <button type="button" aria-pressed={value.version === "current"} onClick={() => onChange({ ...value, version: "current" })}>
          Current version
        </button>
      </div>
    </div>
  );
}
