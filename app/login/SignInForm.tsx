"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { useSession } from "../lib/session";
import { safeNext, signIn } from "../lib/sign-in";
import { AuthCard } from "../components/AuthCard";
import { LabeledField } from "../components/LabeledField";

export function SignInForm() {
  const next = safeNext(useSearchParams().get("next"));
  const { status } = useSession();
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (status?.user) router.replace(next);
  }, [status, next, router]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const problem = await signIn(email.trim(), password).catch((e: unknown) => `Could not reach Gate: ${String(e)}`);
    if (problem) {
      setError(problem);
      setBusy(false);
      return;
    }
    // A full load, so every part of the page starts with the new session.
    window.location.assign(next);
  };

  return (
    <AuthCard title="Sign in to Gate" intro={next === "/flows" ? undefined : "Sign in to continue where you were going."}>
      <form className="auth-form" onSubmit={(e) => void submit(e)}>
        <LabeledField label="Email">
          <input className="input" type="email" autoComplete="username" autoFocus required value={email} onChange={(e) => setEmail(e.target.value)} />
        </LabeledField>
        <LabeledField label="Password">
          <input className="input" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </LabeledField>
        {error && (
          <p className="notice notice-error auth-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary auth-submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="muted small auth-foot">No account yet? An admin creates one under Users.</p>
    </AuthCard>
  );
}
