import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { USER_ROLES } from "../../auth/roles";
import { createUser, deleteUser, listUsers, setRole, UserError } from "../../auth/users";
import { router, procedure } from "../trpc";

async function refusing<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UserError)
      throw new TRPCError({ code: error.code === "NOT_FOUND" ? "NOT_FOUND" : error.code === "EMAIL_TAKEN" ? "CONFLICT" : "BAD_REQUEST", message: error.message });
    throw error;
  }
}

const Role = z.enum(USER_ROLES);

export const usersRouter = router({
  list: procedure.query(({ ctx }) => listUsers(ctx.services.gdb)),
  create: procedure
    .input(z.object({ email: z.email(), name: z.string().trim().max(200).optional(), password: z.string().max(200), role: Role }))
    .mutation(async ({ ctx, input }) => {
      const created = await refusing(() => createUser(ctx.services.gdb, input));
      ctx.services.audit.record({ actor: ctx.user!.email, action: "user.create", target: created.email, outcome: "ok", sourceIp: ctx.ip, detail: { role: input.role } });
      return created;
    }),
  setRole: procedure.input(z.object({ id: z.string().min(1), role: Role })).mutation(async ({ ctx, input }) => {
    await refusing(() => setRole(ctx.services.gdb, input.id, input.role));
    ctx.services.audit.record({ actor: ctx.user!.email, action: "user.setRole", target: input.id, outcome: "ok", sourceIp: ctx.ip, detail: { role: input.role } });
    return { ok: true };
  }),
  delete: procedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    await refusing(() => deleteUser(ctx.services.gdb, input.id));
    ctx.services.audit.record({ actor: ctx.user!.email, action: "user.delete", target: input.id, outcome: "ok", sourceIp: ctx.ip });
    return { ok: true };
  }),
});
