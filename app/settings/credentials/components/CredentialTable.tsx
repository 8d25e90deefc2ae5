"use client";

import type { CredentialRow } from "../../../lib/types";
import { kindLabel } from "../kinds";
import { CredentialRowView, type CredentialActions } from "./CredentialRowView";

/** Admins see every detail and the actions; editors only what they need to pick one: name and kind. */
export function CredentialTable({ credentials, actionsFor }: { credentials: CredentialRow[]; actionsFor?: (c: CredentialRow) => CredentialActions }) {
  if (!actionsFor)
    return (
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
          </tr>
        </thead>
        <tbody>
          {credentials.map((c) => (
            <tr key={c.id}>
              <td className="strong">{c.name}</td>
              <td>{kindLabel(c.kind)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Kind</th>
          <th>Fingerprint</th>
          <th>Last rotated</th>
          <th>Last used</th>
          <th>Expiry</th>
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {credentials.map((c) => (
          <CredentialRowView key={c.id} credential={c} actions={actionsFor(c)} />
        ))}
      </tbody>
    </table>
  );
}
