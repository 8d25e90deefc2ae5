/**
 * Only a path on this site: `?next=https://evil.example` must not turn sign-in into a redirector
 * (browsers read `//host` and `/\host` as another site).
 */
export function safeNext(next: string | null): string {
  if (!next || !/^\/(?![/\\])/.test(next) || next.startsWith("/login")) return "/flows";
  return next;
}

/** Sign in through better-auth; returns what to tell the person, or undefined when it worked. */
export async function signIn(email: string, password: string): Promise<string | undefined> {
  const res = await fetch("/api/auth/sign-in/email", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.ok) return undefined;
  if (res.status === 401) return "Wrong email or password.";
  if (res.status === 429) return "Too many sign-in attempts from this address. Wait a minute, then try again.";
  const body = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
  return `Could not sign in: ${body?.message ?? `the server answered ${res.status}`}`;
}
