"use client";

import { RequireRole } from "../components/RequireRole";
import { FilesView } from "./FilesView";

export default function FilesPage() {
  // Everyone may see the folder (files.list); uploading and deleting need the editor role.
  return (
    <RequireRole role="viewer" page="Files">
      <FilesView />
    </RequireRole>
  );
}
