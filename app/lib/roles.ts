import type { UserRole } from "../../server/auth/roles";

export type { UserRole };

export const ROLES: readonly UserRole[] = ["viewer", "analyst", "editor", "admin"];

/**
 * The same ranking as server/auth/roles.ts. The browser uses it only to hide what a person cannot
 * use; every call is still checked on the server against server/api/policy.ts.
 */
const RANK: Record<UserRole, number> = { viewer: 0, analyst: 1, editor: 2, admin: 3 };

export function hasRole(role: UserRole | undefined, needed: UserRole): boolean {
  return role !== undefined && RANK[role] >= RANK[needed];
}

export const ROLE_HELP: Record<UserRole, string> = {
  viewer: "reads flows and runs",
  analyst: "+ test runs and mapping edits",
  editor: "+ builds flows, picks credentials by name",
  admin: "+ users, credentials, switching flows on",
};

/** The short reason shown on a control a role may not use; the server words its refusals the same way. */
export function needsRole(what: string, needed: UserRole, role: UserRole | undefined): string {
  return `${what} needs the ${needed} role (you are ${role ?? "signed out"})`;
}

/** "an admin", "a viewer". */
export const withArticle = (role: UserRole) => `${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`;
