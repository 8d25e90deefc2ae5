"use client";

import { useEffect, useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/api/root";
import { api } from "../lib/trpc";

type FlowRow = inferRouterOutputs<AppRouter>["flows"]["list"][number];

export default function FlowsPage() {
  const [flows, setFlows] = useState<FlowRow[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.flows.list
      .query()
      .then(setFlows)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  return (
    <section>
      <h1>Flows</h1>
      {error && <p role="alert" className="error">Could not load flows: {error}</p>}
      {!flows && !error && <p className="muted">Loading…</p>}
      {flows?.length === 0 && (
        <div className="empty">
          <h2>No flows yet</h2>
          <p>
            Import an example to start: <code>npx gate flows import examples/crm-contact.json</code>
          </p>
        </div>
      )}
      {flows && flows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>State</th>
              <th>Version</th>
              <th>Last run</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr key={f.id}>
                <td>{f.name}</td>
                <td>
                  <span className={f.active ? "pill pill-on" : "pill"}>{f.active ? "active" : "inactive"}</span>
                </td>
                <td>v{f.version}</td>
                <td>{f.lastExecution?.status ?? "never run"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
