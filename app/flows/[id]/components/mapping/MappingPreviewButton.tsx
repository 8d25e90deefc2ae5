"use client";

import { useState } from "react";
import { Dialog } from "../../../../components/Dialog";
import { MappingPreviewer } from "./MappingPreviewer";

/** Opens the mapping previewer of a `map.fields` node. */
export function MappingPreviewButton({ nodeId }: { nodeId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        Open mapping preview
      </button>
      <Dialog title="Mapping preview" open={open} onClose={() => setOpen(false)}>
        <MappingPreviewer nodeId={nodeId} />
        <div className="button-row">
          <button type="button" className="btn btn-primary" onClick={() => setOpen(false)}>
            Done
          </button>
        </div>
      </Dialog>
    </>
  );
}
