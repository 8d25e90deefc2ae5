import { z } from "zod";
import { dismissMissed, scheduleStatus } from "../../schedule/status";
import { publicProcedure, router } from "../trpc";

export const schedulesRouter = router({
  /** Time-driven triggers of active flows: next run, last firing, skipped ticks, runs missed while down. */
  list: publicProcedure
    .input(z.object({ flowId: z.string().optional() }).default({}))
    .query(({ ctx, input }) => scheduleStatus(ctx.services.gdb, ctx.services.registry, input)),
  dismissMissed: publicProcedure
    .input(z.object({ flowId: z.string(), nodeId: z.string() }))
    .mutation(({ ctx, input }) => {
      dismissMissed(ctx.services.gdb, input.flowId, input.nodeId);
      return { ok: true };
    }),
});
