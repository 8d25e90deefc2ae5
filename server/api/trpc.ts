/**
 * tRPC setup: the context every procedure sees and the procedure builders. Routers stay thin and
 * call server modules; only `type AppRouter` crosses to the browser.
 */
import type { IncomingMessage } from "node:http";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { SessionUser } from "../auth/auth";
import { hasRole } from "../auth/roles";
import { FlowInvalidError } from "../engine/flow/compile";
import type { Services } from "../services";
import { onlyMappingsChanged } from "./mapping-guard";
import { POLICY } from "./policy";

export interface Context {
  services: Services;
  user: SessionUser | null;
  ip: string | null;
  /** What the CSRF check of mutations reads. */
  request: { origin?: string; host?: string; fetchSite?: string; contentType?: string; secure: boolean };
}

export function createContextFactory(services: Services, options: { secure?: boolean } = {}) {
  return async ({ req }: { req: IncomingMessage }): Promise<Context> => ({
    services,
    user: await services.auth.sessionUser(req.headers),
    ip: req.socket.remoteAddress ?? null,
    request: {
      origin: req.headers.origin,
      host: req.headers.host,
      fetchSite: req.headers["sec-fetch-site"],
      contentType: req.headers["content-type"],
      secure: options.secure ?? false,
    },
  });
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level problems for forms; never a stack trace.
        stack: undefined,
        problems: cause instanceof FlowInvalidError ? cause.problems : undefined,
        zodIssues: cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : undefined,
      },
    };
  },
});

export const router = t.router;

/**
 * A mutation must come from Gate's own pages: a browser on another site can neither send JSON
 * without a CORS preflight (which Gate never answers) nor hide that it is cross-site. Non-browser
 * clients send no Origin and no Sec-Fetch-Site and are judged by their session alone.
 */
function checkCsrf(ctx: Context) {
  const { origin, host, fetchSite, contentType, secure } = ctx.request;
  const refuse = (why: string) => {
    throw new TRPCError({ code: "FORBIDDEN", message: `request refused: ${why}` });
  };
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") refuse("it came from another site");
  if (origin && host && origin !== `${secure ? "https" : "http"}://${host}`) refuse("it came from another origin");
  if (!contentType?.startsWith("application/json")) refuse("a change must be sent as JSON");
}

/**
 * Every procedure goes through the access table (policy.ts): unlisted procedures are refused,
 * signed-out callers get UNAUTHORIZED, too-low roles FORBIDDEN, denials land in the audit log.
 */
const enforcePolicy = t.middleware(async ({ ctx, path, type, getRawInput, next }) => {
  if (type === "mutation") checkCsrf(ctx);
  const needed = POLICY[path];
  if (needed === undefined) throw new TRPCError({ code: "FORBIDDEN", message: `${path} declares no role` });
  if (needed === "public") return next();
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  const deny = (message: string) => {
    ctx.services.audit.record({ actor: ctx.user!.email, action: path, outcome: "denied", sourceIp: ctx.ip, detail: { role: ctx.user!.role, needed } });
    throw new TRPCError({ code: "FORBIDDEN", message });
  };
  if (!hasRole(ctx.user.role, needed)) deny(`${path} needs the ${needed} role (you are ${ctx.user.role})`);
  if (path === "flows.save" && ctx.user.role === "analyst") {
    const input = (await getRawInput()) as { id?: unknown; doc?: unknown } | undefined;
    const current = typeof input?.id === "string" ? ctx.services.flows.get(input.id) : undefined;
    if (current && !onlyMappingsChanged(current.doc, input?.doc, ctx.services.registry))
      deny("analysts may change mapping nodes only; ask an editor to change the rest of the flow");
  }
  const result = await next();
  if (type === "mutation" && result.ok && !SELF_AUDITED.has(path.split(".")[0]!)) {
    const input = (await getRawInput()) as Record<string, unknown> | undefined;
    const target = typeof input?.id === "string" ? input.id : typeof input?.name === "string" ? input.name : null;
    ctx.services.audit.record({ actor: ctx.user.email, action: path, target, outcome: "ok", sourceIp: ctx.ip });
  }
  return result;
});

/** Routers that write their own, more detailed audit entries (credentials, users, sign-in). */
const SELF_AUDITED = new Set(["credentials", "users", "auth"]);

/** The one procedure builder: what a caller may do is decided by the policy table, not here. */
export const procedure = t.procedure.use(enforcePolicy);
/** @deprecated use `procedure`; kept while routers move over. */
export const publicProcedure = procedure;

export function notFound(what: string): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: `${what} not found` });
}
