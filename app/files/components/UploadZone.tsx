"use client";

import { useRef, useState, type DragEvent } from "react";
import { LabeledField } from "../../components/LabeledField";
import { formatSize } from "../upload";

/** The formats file nodes read; the picker suggests them, a drop may bring anything. */
const ACCEPT = ".csv,.tsv,.txt,.json,.ndjson,.jsonl,.xml";

export interface UploadZoneProps {
  /** The server's limit per file; undefined until it has answered. */
  maxBytes: number | undefined;
  /** What is being uploaded right now, e.g. "Uploading orders.csv…". */
  busy: string | undefined;
  onFiles: (files: File[], folder: string) => void;
}

/** Drop files here, or choose them; optionally into a folder of the files folder. */
export function UploadZone({ maxBytes, busy, onFiles }: UploadZoneProps) {
  const input = useRef<HTMLInputElement>(null);
  const [folder, setFolder] = useState("");
  const [over, setOver] = useState(false);
  const disabled = maxBytes === undefined || busy !== undefined;

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length && !disabled) onFiles(files, folder);
  };

  return (
    <section
      aria-label="Upload files"
      className={`upload-zone${over ? " is-drop-target" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = disabled ? "none" : "copy";
        setOver(true);
      }}
      onDragLeave={(e) => {
        // Leaving for a child of the zone is not leaving the zone.
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={drop}
    >
      <div className="upload-main">
        <p className="upload-title">Drop CSV, JSON, NDJSON or XML files here</p>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          aria-label="Files to upload"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = "";
            if (files.length) onFiles(files, folder);
          }}
        />
        <button type="button" className="btn btn-primary" disabled={disabled} onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <p className="muted small">
          {maxBytes === undefined ? "Asking the server for its limits…" : `Up to ${formatSize(maxBytes)} per file. A file with the name of one already here replaces it (you are asked first).`}
        </p>
        {busy && (
          <p className="upload-busy" role="status">
            {busy}
          </p>
        )}
      </div>
      <div className="upload-folder">
        <LabeledField label="Into folder (optional)" help="e.g. imports — created when missing. Leave empty for the top of the files folder.">
          <input className="input" value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="imports" />
        </LabeledField>
      </div>
    </section>
  );
}
