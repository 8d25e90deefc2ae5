"use client";

import { RequireRole } from "../../components/RequireRole";
import { AlertsView } from "./AlertsView";

export default function AlertsPage() {
  return (
    <RequireRole role="viewer" page="Alerts">
      <AlertsView />
    </RequireRole>
  );
}
