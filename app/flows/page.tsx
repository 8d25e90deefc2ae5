"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { describeError, errorText } from "../lib/errors";
import { hasRole, needsRole, withArticle } from "../lib/roles";
import { useSession } from "../lib/session";
import { api } from "../lib/trpc";
import type { FlowRow, Problem } from "../lib/types";
import { ConfirmDelete } from "./components/ConfirmDelete";
import { FlowRowView } from "./components/FlowRowView";
import { NameDialog } from "./components/NameDialog";
import { exportFlow, readJsonFile } from "./components/transfer";

type Modal = { kind: "create" } | { kind: "rename"; flow: FlowRow } | { kind: "delete"; flow: FlowRow } | undefined;

export default function FlowsPage() {
  const router = useRouter();
  const [flows, setFlows] = useState<FlowRow[] | undefined>();
  const [error, setError] = useState<{ message: string; problems: Problem[] } | undefined>();
  const [modal, setModal] = useState<Modal>();
  const fileInput = useRef<HTMLInputElement>(null);
  const role = useSession().status?.user?.role;
  // Controls a role may not use stay visible but disabled, saying why; the server refuses them anyway.
  const canBuild = hasRole(role, "editor");
  const canActivate = hasRole(role, "admin");
  const buildReason = canBuild ? undefined : needsRole("Building flows", "editor", role);

  const reload = useCallback(() => {
    api.flows.list
      .query()
      .then(setFlows)
      .catch((e: unknown) => setError({ message: `Could not load flows: ${errorText(e)}`, problems: [] }));
  }, []);
  useEffect(reload, [reload]);

  /** Run an action; its refusal is shown above the table with every problem it names. */
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      const failure = describeError(e);
      setError({ message: `${what}: ${failure.message}`, problems: failure.problems });
    }
    reload();
  };

  const importFile = async (file: File) =>
    act(`Could not import ${file.name}`, async () => {
      const doc = await readJsonFile(file);
      await api.flows.import.mutate({ doc });
    });

  return (
    <section className="page">
      <div className="page-head">
        <h1>Flows</h1>
        <div className="button-row">
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            hidden
            aria-label="Flow JSON file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void importFile(file);
            }}
          />
          <button type="button" className="btn" disabled={!canBuild} title={buildReason} onClick={() => fileInput.current?.click()}>
            Import JSON
          </button>
          <button type="button" className="btn btn-primary" disabled={!canBuild} title={buildReason} onClick={() => setModal({ kind: "create" })}>
            New flow
          </button>
        </div>
      </div>
      {!canActivate && (
        <p className="muted small role-note">
          You are {role ? withArticle(role) : "signed out"}: {canBuild ? "switching flows on and off needs the admin role." : "creating, changing and switching flows needs the editor or admin role."}
        </p>
      )}
      {error && (
        <div role="alert" className="notice notice-error flows-error">
          <div>
            {error.message}
            {error.problems.length > 0 && (
              <ul className="problem-list">
                {error.problems.map((p) => (
                  <li key={`${p.path}:${p.message}`}>
                    <code>{p.path}</code> {p.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {!flows && !error && <p className="muted">Loading…</p>}
      {flows?.length === 0 && (
        <div className="empty">
          <h2>No flows yet</h2>
          <p>Create a flow and draw it on the canvas, or import a flow JSON file (there are examples in <code>examples/</code>).</p>
          <div className="button-row" style={{ justifyContent: "center" }}>
            <button type="button" className="btn btn-primary" disabled={!canBuild} title={buildReason} onClick={() => setModal({ kind: "create" })}>
              New flow
            </button>
            <button type="button" className="btn" disabled={!canBuild} title={buildReason} onClick={() => fileInput.current?.click()}>
              Import JSON
            </button>
          </div>
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
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <FlowRowView
                key={f.id}
                flow={f}
                allowed={{ build: canBuild, activate: canActivate, role }}
                actions={{
                  onToggle: (active) => void act(`Could not switch “${f.name}” ${active ? "on" : "off"}`, () => api.flows.setActive.mutate({ id: f.id, active })),
                  onRename: () => setModal({ kind: "rename", flow: f }),
                  onDuplicate: () => void act(`Could not duplicate “${f.name}”`, () => api.flows.duplicate.mutate({ id: f.id })),
                  onExport: () => void act(`Could not export “${f.name}”`, () => exportFlow(f.id)),
                  onDelete: () => setModal({ kind: "delete", flow: f }),
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {modal?.kind === "create" && (
        <NameDialog
          title="New flow"
          action="Create"
          initial=""
          onClose={() => setModal(undefined)}
          onSubmit={async (name) => {
            try {
              const { flow } = await api.flows.create.mutate({ name });
              router.push(`/flows/${flow.id}`);
              return undefined;
            } catch (e) {
              return errorText(e);
            }
          }}
        />
      )}
      {modal?.kind === "rename" && (
        <NameDialog
          title={`Rename “${modal.flow.name}”`}
          action="Rename"
          initial={modal.flow.name}
          onClose={() => setModal(undefined)}
          onSubmit={async (name) => {
            try {
              await api.flows.rename.mutate({ id: modal.flow.id, name });
              setModal(undefined);
              reload();
              return undefined;
            } catch (e) {
              return errorText(e);
            }
          }}
        />
      )}
      {modal?.kind === "delete" && (
        <ConfirmDelete
          name={modal.flow.name}
          onClose={() => setModal(undefined)}
          onConfirm={() => {
            const id = modal.flow.id;
            setModal(undefined);
            void act("Could not delete the flow", () => api.flows.delete.mutate({ id }));
          }}
        />
      )}
    </section>
  );
}
