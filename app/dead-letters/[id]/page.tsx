"use client";

import { use } from "react";
import { RequireRole } from "../../components/RequireRole";
import { DeadLetterView } from "../components/DeadLetterView";

export default function DeadLetterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = use(params);
  return (
    <RequireRole role="editor" page="Dead letter">
      <DeadLetterView id={id} />
    </RequireRole>
  );
}
