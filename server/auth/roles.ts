import { USER_ROLES, type UserRole } from "../db/schema";

export { USER_ROLES, type UserRole };

/**
 * Roles are ranked: each can do everything the ones below it can.
 * viewer: read only · analyst: + test runs and mapping edits · editor: + build flows, use credentials
 * by name · admin: + users, credentials, activation.
 */
const RANK: Record<UserRole, number> = { viewer: 0, analyst: 1, editor: 2, admin: 3 };

export function hasRole(role: UserRole, needed: UserRole): boolean {
  return RANK[role] >= RANK[needed];
}

export function isRole(value: unknown): value is UserRole {
  return typeof value === "string" && (USER_ROLES as readonly string[]).includes(value);
}
