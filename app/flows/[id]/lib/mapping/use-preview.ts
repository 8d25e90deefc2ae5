"use client";

import { useEffect, useState } from "react";
import type { Item } from "../../../../lib/types";
import { previewMapping, type MapField, type MappingPreview } from "./preview";

/** Typing pauses shorter than this are one evaluation. */
const DEBOUNCE_MS = 40;

/** The preview of `fields` on `item`, recomputed shortly after each change; a stale answer is dropped. */
export function useMappingPreview(fields: readonly MapField[], item: Item | undefined, keepInput: boolean): MappingPreview | undefined {
  const [preview, setPreview] = useState<MappingPreview>();
  useEffect(() => {
    if (!item) return;
    let current = true;
    const timer = setTimeout(() => {
      void previewMapping(fields, item, keepInput).then((result) => {
        if (current) setPreview(result);
      });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [fields, item, keepInput]);
  return preview;
}
