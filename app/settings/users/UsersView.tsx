"use client";

import { useCallback, useEffect, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Notice } from "../../components/Notice";
import { errorText } from "../../lib/errors";
import { ROLE_HELP, withArticle, type UserRole } from "../../lib/roles";
import { useSession } from "../../lib/session";
import { api } from "../../lib/trpc";
import type { UserRow } from "../../lib/types";
import { CreateUserDialog } from "./CreateUserDialog";
import { UserRowView } from "./UserRowView";

type Message = { kind: "error" | "ok"; text: string } | undefined;

export function UsersView() {
  const me = useSession().status?.user;
  const [users, setUsers] = useState<UserRow[] | undefined>();
  const [message, setMessage] = useState<Message>();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<UserRow | undefined>();

  const reload = useCallback(() => {
    api.users.list
      .query()
      .then(setUsers)
      .catch((e: unknown) => setMessage({ kind: "error", text: `Could not load users: ${errorText(e)}` }));
  }, []);
  useEffect(reload, [reload]);

  /** Run a change; the server's refusal (e.g. the last admin) is shown as it words it. */
  const act = async (done: string, failed: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      setMessage({ kind: "ok", text: done });
    } catch (e) {
      setMessage({ kind: "error", text: `${failed}: ${errorText(e)}` });
    }
    reload();
  };

  const changeRole = (user: UserRow, role: UserRole) =>
    void act(`${user.email} is now ${withArticle(role)}; their sessions ended, so the new role applies when they sign in again.`, `Could not change the role of ${user.email}`, () =>
      api.users.setRole.mutate({ id: user.id, role }),
    );

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p className="muted page-sub">Everyone who can sign in to Gate, and what their role lets them do.</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
          New user
        </button>
      </div>
      {message && (
        <Notice kind={message.kind} onClose={() => setMessage(undefined)}>
          {message.text}
        </Notice>
      )}
      {!users && !message && <p className="muted">Loading…</p>}
      {users && (
        <table className="table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>Created</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRowView key={u.id} user={u} isMe={u.id === me?.id} onRole={(role) => changeRole(u, role)} onDelete={() => setDeleting(u)} />
            ))}
          </tbody>
        </table>
      )}
      <dl className="role-legend">
        {(Object.keys(ROLE_HELP) as UserRole[]).map((role) => (
          <div key={role}>
            <dt>
              <span className={`pill role-${role}`}>{role}</span>
            </dt>
            <dd className="muted small">{ROLE_HELP[role]}</dd>
          </div>
        ))}
      </dl>
      {creating && (
        <CreateUserDialog
          onClose={() => setCreating(false)}
          onCreated={(email) => {
            setCreating(false);
            setMessage({ kind: "ok", text: `${email} can now sign in with the password you set.` });
            reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.email}?`}
          confirm="Delete user"
          onClose={() => setDeleting(undefined)}
          onConfirm={() => {
            const user = deleting;
            setDeleting(undefined);
            void act(`${user.email} was deleted.`, `Could not delete ${user.email}`, () => api.users.delete.mutate({ id: user.id }));
          }}
        >
          <p>They can no longer sign in. Flows they built stay as they are. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
