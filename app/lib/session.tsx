"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api } from "./trpc";
import type { SessionUser } from "./types";

export interface Session {
  /** Undefined until the server has answered. */
  status: { user: SessionUser | null; setupNeeded: boolean } | undefined;
  /** Could not ask the server at all (it is down, or the network is). */
  error: string | undefined;
  refresh: () => Promise<void>;
}

const SessionCtx = createContext<Session>({ status: undefined, error: undefined, refresh: () => Promise.resolve() });

export const useSession = () => useContext(SessionCtx);

/** Who is signed in, asked once per page load; sign-in, setup and sign-out reload it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Session["status"]>();
  const [error, setError] = useState<string | undefined>();
  const refresh = useCallback(async () => {
    try {
      setStatus(await api.auth.status.query());
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);
  const value = useMemo(() => ({ status, error, refresh }), [status, error, refresh]);
  return <SessionCtx.Provider value={value}>{children}</SessionCtx.Provider>;
}

/** better-auth ends the session and clears its cookie; the page is then reloaded from scratch. */
export async function signOut(): Promise<void> {
  await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  window.location.assign("/login");
}
