/**
 * User administration. Passwords are hashed with better-auth's own scrypt hasher so that its
 * sign-in verifies them; Gate never stores or logs a password.
 */
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { eq, sql } from "drizzle-orm";
import type { GateDb } from "../db/client";
import { account, session, user } from "../db/schema";
import type { UserRole } from "./roles";

export class UserError extends Error {
  override readonly name = "UserError";
  constructor(
    readonly code: "EMAIL_TAKEN" | "WEAK_PASSWORD" | "NOT_FOUND" | "LAST_ADMIN" | "SETUP_DONE",
    message: string,
  ) {
    super(message);
  }
}

export const MIN_PASSWORD = 10;

export function countUsers(gdb: GateDb): number {
  return gdb.db.select({ n: sql<number>`count(*)` }).from(user).get()?.n ?? 0;
}

export async function createUser(gdb: GateDb, input: { email: string; name?: string; password: string; role: UserRole; onlyIfFirst?: boolean }) {
  if (input.password.length < MIN_PASSWORD) throw new UserError("WEAK_PASSWORD", `the password needs at least ${MIN_PASSWORD} characters`);
  const email = input.email.trim().toLowerCase();
  const hash = await hashPassword(input.password);
  const now = new Date();
  const id = randomUUID();
  // One transaction: the "first admin" check and the insert cannot interleave with a second setup.
  gdb.sqlite.transaction(() => {
    if (input.onlyIfFirst && countUsers(gdb) > 0) throw new UserError("SETUP_DONE", "Gate is already set up: sign in instead");
    if (gdb.db.select({ id: user.id }).from(user).where(eq(user.email, email)).get())
      throw new UserError("EMAIL_TAKEN", `a user with the email ${email} exists`);
    gdb.db.insert(user).values({ id, email, name: input.name?.trim() || email, role: input.role, emailVerified: false, createdAt: now, updatedAt: now }).run();
    gdb.db.insert(account).values({ id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: hash, createdAt: now, updatedAt: now }).run();
  })();
  return { id, email, role: input.role };
}

export function listUsers(gdb: GateDb) {
  return gdb.db
    .select({ id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt })
    .from(user)
    .orderBy(user.email)
    .all()
    .map((u) => ({ ...u, createdAt: u.createdAt.getTime() }));
}

function adminCount(gdb: GateDb): number {
  return gdb.db.select({ n: sql<number>`count(*)` }).from(user).where(eq(user.role, "admin")).get()?.n ?? 0;
}

/** Change a role; the last admin cannot demote themselves out of existence. Sessions end so the new role applies at once. */
export function setRole(gdb: GateDb, id: string, role: UserRole): void {
  gdb.sqlite.transaction(() => {
    const row = gdb.db.select().from(user).where(eq(user.id, id)).get();
    if (!row) throw new UserError("NOT_FOUND", "no such user");
    if (row.role === "admin" && role !== "admin" && adminCount(gdb) === 1) throw new UserError("LAST_ADMIN", "Gate needs at least one admin");
    gdb.db.update(user).set({ role, updatedAt: new Date() }).where(eq(user.id, id)).run();
    gdb.db.delete(session).where(eq(session.userId, id)).run();
  })();
}

export function deleteUser(gdb: GateDb, id: string): void {
  gdb.sqlite.transaction(() => {
    const row = gdb.db.select().from(user).where(eq(user.id, id)).get();
    if (!row) throw new UserError("NOT_FOUND", "no such user");
    if (row.role === "admin" && adminCount(gdb) === 1) throw new UserError("LAST_ADMIN", "Gate needs at least one admin");
    gdb.db.delete(user).where(eq(user.id, id)).run();
  })();
}
