"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { hasRole, type UserRole } from "../lib/roles";
import { signOut, useSession } from "../lib/session";
import { goToSignIn } from "../lib/trpc";
import type { SessionUser } from "../lib/types";

const SIGNED_OUT_PAGES = new Set(["/login", "/setup"]);

/** The pages in the header, each shown only to the roles that may use it. */
const NAV: { href: string; label: string; role: UserRole }[] = [
  { href: "/flows", label: "Flows", role: "viewer" },
  { href: "/files", label: "Files", role: "viewer" },
  { href: "/dead-letters", label: "Dead letters", role: "editor" },
  { href: "/settings/alerts", label: "Alerts", role: "viewer" },
  { href: "/settings/credentials", label: "Credentials", role: "editor" },
  { href: "/settings/users", label: "Users", role: "admin" },
  { href: "/settings/audit", label: "Audit log", role: "admin" },
];

/** Header and the signed-in guard: pages render only once the server has said who is here. */
export function AppShell({ children }: { children: ReactNode }) {
  const { status, error } = useSession();
  const pathname = usePathname();
  const router = useRouter();
  const signedOutPage = SIGNED_OUT_PAGES.has(pathname);
  const user = status?.user ?? null;

  useEffect(() => {
    if (!status) return;
    if (status.setupNeeded && pathname !== "/setup") router.replace("/setup");
    else if (!status.setupNeeded && !status.user && !signedOutPage) goToSignIn();
  }, [status, pathname, signedOutPage, router]);

  const ready = signedOutPage || (status !== undefined && user !== null);
  return (
    <>
      <header className="topbar">
        <Link href={user ? "/flows" : "/login"} className="brand">
          Gate
        </Link>
        {user && <MainNav user={user} pathname={pathname} />}
        {user && <UserMenu user={user} />}
      </header>
      <main>
        {error && !signedOutPage ? (
          <section className="page">
            <p role="alert" className="notice notice-error flows-error">
              Gate does not answer: {error}
            </p>
          </section>
        ) : ready ? (
          children
        ) : (
          <p className="page muted">Loading…</p>
        )}
      </main>
    </>
  );
}

function MainNav({ user, pathname }: { user: SessionUser; pathname: string }) {
  return (
    <nav aria-label="Main">
      {NAV.filter((item) => hasRole(user.role, item.role)).map((item) => (
        <Link key={item.href} href={item.href} aria-current={pathname.startsWith(item.href) ? "page" : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

function UserMenu({ user }: { user: SessionUser }) {
  return (
    <div className="user-menu">
      <span className="user-email" title={user.name}>
        {user.email}
      </span>
      <span className={`pill role-${user.role}`} aria-label={`Role: ${user.role}`}>
        {user.role}
      </span>
      <button type="button" className="btn btn-small" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}
