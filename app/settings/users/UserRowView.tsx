"use client";

import { ROLES, type UserRole } from "../../lib/roles";
import { dateTime, fromNow } from "../../lib/time";
import type { UserRow } from "../../lib/types";

export function UserRowView({ user, isMe, onRole, onDelete }: { user: UserRow; isMe: boolean; onRole: (role: UserRole) => void; onDelete: () => void }) {
  return (
    <tr>
      <td>
        <span className="strong">{user.email}</span>
        {isMe && <span className="pill you-pill">you</span>}
      </td>
      <td>{user.name === user.email ? <span className="muted">—</span> : user.name}</td>
      <td>
        <select className="input role-select" aria-label={`Role of ${user.email}`} value={user.role} onChange={(e) => onRole(e.target.value as UserRole)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td title={dateTime(user.createdAt)}>{fromNow(user.createdAt)}</td>
      <td>
        <div className="row-actions">
          <button
            type="button"
            className="btn btn-small"
            onClick={onDelete}
            disabled={isMe}
            aria-label={`Delete ${user.email}`}
            title={isMe ? "You are signed in as this user; another admin can delete it" : undefined}
          >
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
