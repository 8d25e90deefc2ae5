"use client";

import type { ReactNode } from "react";
import { hasRole, needsRole, type UserRole } from "../lib/roles";
import { useSession } from "../lib/session";

/**
 * A page for some roles only. The server refuses the calls anyway; this says why in words instead of
 * an empty page full of errors.
 */
export function RequireRole({ role, page, children }: { role: UserRole; page: string; children: ReactNode }) {
  const user = useSession().status?.user;
  if (hasRole(user?.role, role)) return children;
  return (
    <section className="page">
      <h1>{page}</h1>
      <div className="notice notice-warn role-refusal" role="alert">
        <span>
          {needsRole(page, role, user?.role)}. Ask an admin if you need it.
        </span>
      </div>
    </section>
  );
}
