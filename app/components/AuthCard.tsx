import type { ReactNode } from "react";

/** The centred card of the signed-out pages (sign-in, first-run setup). */
export function AuthCard({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  return (
    <section className="auth-page">
      <div className="auth-card">
        <h1>{title}</h1>
        {intro && <p className="muted auth-intro">{intro}</p>}
        {children}
      </div>
    </section>
  );
}
