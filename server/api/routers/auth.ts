import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { countUsers, createUser, UserError } from "../../auth/users";
import { router, procedure } from "../trpc";

export const authRouter = router({
  /** What the sign-in page needs to know: is there anyone yet, and who is this. */
  status: procedure.query(({ ctx }) => ({ setupNeeded: countUsers(ctx.services.gdb) === 0, user: ctx.user })),
  me: procedure.query(({ ctx }) => ctx.user),
  /** First start only: creates the first admin; refused once any user exists. */
  setup: procedure
    .input(z.object({ email: z.email(), name: z.string().trim().max(200).optional(), password: z.string().max(200) }))
    .mutation(async ({ ctx, input }) => {
      try {
        const created = await createUser(ctx.services.gdb, { ...input, role: "admin", onlyIfFirst: true });
        ctx.services.audit.record({ actor: created.email, action: "user.setup", target: created.email, outcome: "ok", sourceIp: ctx.ip });
        return created;
      } catch (error) {
        if (error instanceof UserError) throw new TRPCError({ code: error.code === "SETUP_DONE" ? "FORBIDDEN" : "BAD_REQUEST", message: error.message });
        throw error;
      }
    }),
});
