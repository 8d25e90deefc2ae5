import { createTRPCClient, httpBatchLink, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import type { AppRouter } from "../../server/api/root";

/** Pages that work signed out: a 401 there is an answer to show, not a reason to leave. */
const SIGNED_OUT_PAGES = ["/login", "/setup"];

/** Send the person to the sign-in page, remembering where they were going. */
export function goToSignIn(): void {
  const { pathname, search } = window.location;
  if (SIGNED_OUT_PAGES.includes(pathname)) return;
  window.location.assign(`/login?next=${encodeURIComponent(pathname + search)}`);
}

/**
 * One place for "the session is gone": any call answered UNAUTHORIZED (expired session, signed out in
 * another tab) leads to the sign-in page instead of each page showing "sign in first".
 */
const signInWhenUnauthorized: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        complete: () => observer.complete(),
        error: (error) => {
          if (error.data?.code === "UNAUTHORIZED" && typeof window !== "undefined") goToSignIn();
          observer.error(error);
        },
      }),
    );

/** The browser's typed client of Gate's API; only the router's type crosses from the server. */
export const api = createTRPCClient<AppRouter>({
  links: [signInWhenUnauthorized, httpBatchLink({ url: "/api/trpc" })],
});
