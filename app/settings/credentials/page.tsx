"use client";

import { Suspense } from "react";
import { RequireRole } from "../../components/RequireRole";
import { CredentialsView } from "./CredentialsView";

export default function CredentialsPage() {
  // The view reads ?connected= and ?oauthError= (the OAuth callback's answer), which needs Suspense.
  return (
    <RequireRole role="editor" page="Credentials">
      <Suspense>
        <CredentialsView />
      </Suspense>
    </RequireRole>
  );
}
