"use client";

import { useState } from "react";

/** The one moment a generated secret is visible: copy it for the sender before saving. */
export function GeneratedSecret({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  };
  return (
    <div className="generated-secret" role="status">
      <p className="small">
        <strong>Copy this secret now</strong> and give it to the sender of the webhooks. Gate stores it encrypted and will not show it again.
      </p>
      <div className="generated-row">
        <code data-testid="generated-secret">{value}</code>
        <button type="button" className="btn btn-small" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
