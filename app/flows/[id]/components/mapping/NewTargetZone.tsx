"use client";

import { useState } from "react";
import { SOURCE_FIELD_MIME, droppedPath } from "./SourceTree";

/** Drop a source field here to map it to a new target field of the same name. */
export function NewTargetZone({ onDropPath }: { onDropPath: (path: string[]) => void }) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={`new-target-zone${over ? " is-drop-target" : ""}`}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(SOURCE_FIELD_MIME)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const path = droppedPath(e.dataTransfer);
        if (!path) return;
        e.preventDefault();
        onDropPath(path);
      }}
    >
      Drop a source field here to add a target field
    </div>
  );
}
