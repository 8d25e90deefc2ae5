"use client";

import { RequireRole } from "../../components/RequireRole";
import { AuditView } from "./AuditView";

export default function AuditPage() {
  return (
    <RequireRole role="admin" page="The audit log">
      <AuditView />
    </RequireRole>
  );
}
