/**
 * Sign-in with better-auth (email + password), stored in Gate's own SQLite through its drizzle
 * adapter. Public sign-up is off: the first admin comes from the setup page or `gate user create
 * --admin`, the rest from admins. The cookie-signing secret is derived from the vault's master key,
 * so there is no second secret to manage (rotating the master key signs everyone out).
 */
import { hkdfSync } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { createAuthMiddleware } from "better-auth/api";
import { fromNodeHeaders } from "better-auth/node";
import type { GateDb } from "../db/client";
import { account, session, user, verification } from "../db/schema";
import { logger } from "../log";
import type { AuditLog } from "../audit/audit";
import { isRole, type UserRole } from "./roles";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
}

export interface AuthOptions {
  gdb: GateDb;
  masterKey: Buffer;
  audit: AuditLog;
  /** Serving HTTPS: cookies get the Secure flag. */
  secure: boolean;
}

export const SESSION_DAYS = 7;

export function createAuth(options: AuthOptions) {
  const secret = Buffer.from(hkdfSync("sha256", options.masterKey, Buffer.alloc(0), "gate-auth-cookie-secret", 32)).toString("base64");
  const auth = betterAuth({
    appName: "Gate",
    basePath: "/api/auth",
    secret,
    database: drizzleAdapter(options.gdb.db, { provider: "sqlite", schema: { user, session, account, verification } }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    user: { additionalFields: { role: { type: "string", required: false, defaultValue: "viewer", input: false } } },
    session: { expiresIn: SESSION_DAYS * 24 * 3600 },
    // The origin the browser used to reach this server is the only one trusted: a form on another
    // site cannot post a sign-in here.
    trustedOrigins: (request) => {
      const host = request?.headers.get("host");
      return host ? [`${options.secure ? "https" : "http"}://${host}`] : [];
    },
    advanced: {
      // Gate sets this header itself from the socket (server/http/server.ts), overwriting any sent.
      ipAddress: { ipAddressHeaders: ["x-gate-client-ip"] },
      useSecureCookies: options.secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure: options.secure },
    },
    // Sign-in is limited per address (20 a minute) on top of better-auth's defaults; repeated failures
    // also raise a suspicious-activity entry in the audit log.
    rateLimit: { enabled: true, window: 60, max: 100, customRules: { "/sign-in/email": { window: 60, max: 20 } } },
    telemetry: { enabled: false },
    logger: {
      level: "warn",
      // Gate answers on whichever address the admin uses, so it has no fixed base URL on purpose: the
      // trusted origin is derived per request (above). better-auth's reminder about that is dropped.
      log: (level, message) => {
        if (!message.includes("Base URL is not set")) logger[level]({ component: "auth" }, message);
      },
    },
    hooks: {
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const body = ctx.body as { email?: unknown } | undefined;
        const email = typeof body?.email === "string" ? body.email.slice(0, 200) : "unknown";
        const ip = ctx.request?.headers.get("x-gate-client-ip") ?? null;
        const ok = ctx.context.newSession !== null && ctx.context.newSession !== undefined;
        options.audit.record({ actor: ok ? email : "anonymous", action: "auth.signIn", target: email, outcome: ok ? "ok" : "failed", sourceIp: ip });
        return Promise.resolve();
      }),
    },
  });
  return {
    auth,
    /** The signed-in user of a request, or null. */
    async sessionUser(headers: IncomingHttpHeaders | Headers): Promise<SessionUser | null> {
      const result = await auth.api.getSession({ headers: headers instanceof Headers ? headers : fromNodeHeaders(headers) });
      if (!result) return null;
      const role = (result.user as { role?: unknown }).role;
      return { id: result.user.id, email: result.user.email, name: result.user.name, role: isRole(role) ? role : "viewer" };
    },
  };
}

export type GateAuth = ReturnType<typeof createAuth>;
