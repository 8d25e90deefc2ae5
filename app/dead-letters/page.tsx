"use client";

import { Suspense } from "react";
import { RequireRole } from "../components/RequireRole";
import { DeadLettersView } from "./DeadLettersView";

export default function DeadLettersPage() {
  // The view keeps its flow filter in ?flow=, which needs Suspense.
  return (
    <RequireRole role="editor" page="Dead letters">
      <Suspense>
        <DeadLettersView />
      </Suspense>
    </RequireRole>
  );
}
