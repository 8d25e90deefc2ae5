"use client";

import { RequireRole } from "../../components/RequireRole";
import { UsersView } from "./UsersView";

export default function UsersPage() {
  return (
    <RequireRole role="admin" page="Users">
      <UsersView />
    </RequireRole>
  );
}
