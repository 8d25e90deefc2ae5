"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { AuthCard } from "../components/AuthCard";
import { errorText } from "../lib/errors";
import { useSession } from "../lib/session";
import { signIn } from "../lib/sign-in";
import { api } from "../lib/trpc";
import { LabeledField } from "../components/LabeledField";

const MIN_PASSWORD = 10;

/** First start: nobody can sign in yet, so this page creates the first admin and signs them in. */
export default function SetupPage() {
  const { status } = useSession();
  const router = useRouter();
  const [form, setForm] = useState({ email: "", name: "", password: "", confirm: "" });
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (status && !status.setupNeeded) router.replace(status.user ? "/flows" : "/login");
  }, [status, router]);

  const mismatch = form.confirm !== "" && form.confirm !== form.password;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.auth.setup.mutate({ email: form.email.trim(), name: form.name.trim() || undefined, password: form.password });
      const problem = await signIn(form.email.trim(), form.password);
      if (problem) throw new Error(problem);
      window.location.assign("/flows");
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  if (!status?.setupNeeded) return <p className="page muted">Loading…</p>;
  return (
    <AuthCard title="Welcome to Gate" intro="Nobody has an account yet. Create the first administrator: this account manages users, credentials and which flows run.">
      <form className="auth-form" onSubmit={(e) => void submit(e)}>
        <LabeledField label="Email">
          <input className="input" type="email" autoComplete="username" autoFocus required value={form.email} onChange={set("email")} />
        </LabeledField>
        <LabeledField label="Name">
          <input className="input" autoComplete="name" maxLength={200} placeholder="Optional" value={form.name} onChange={set("name")} />
        </LabeledField>
        <LabeledField label="Password" help={`At least ${MIN_PASSWORD} characters.`}>
          <input className="input" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={form.password} onChange={set("password")} />
        </LabeledField>
        <LabeledField label="Repeat the password" error={mismatch ? "The passwords differ." : undefined}>
          <input className="input" type="password" autoComplete="new-password" required value={form.confirm} onChange={set("confirm")} aria-invalid={mismatch} />
        </LabeledField>
        {error && (
          <p className="notice notice-error auth-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary auth-submit" disabled={busy || mismatch}>
          {busy ? "Creating…" : "Create admin and sign in"}
        </button>
      </form>
    </AuthCard>
  );
}
