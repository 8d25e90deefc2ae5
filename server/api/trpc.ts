/**
 * tRPC setup: the context every procedure sees and the procedure builders. Routers stay thin and
 * call server modules; only `type AppRouter` crosses to the browser.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { FlowInvalidError } from "../engine/flow/compile";
import type { Services } from "../services";

export interface Context {
  services: Services;
}

export function createContextFactory(services: Services) {
  return (): Context => ({ services });
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
 * Every procedure declares who may call it. Until sign-in lands (users and roles), Gate listens on
 * 127.0.0.1 only by default and every caller is treated as the local operator.
 */
export const publicProcedure = t.procedure;

export function notFound(what: string): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: `${what} not found` });
}
