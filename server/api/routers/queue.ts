import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { EnqueueError } from "../../queue/enqueue";
import { queueCounts } from "../../queue/stats";
import { procedure, router } from "../trpc";

const Item = z.record(z.string(), z.unknown());

export const queueRouter = router({
  /**
   * "Run now (live)": the input is stored in the durable queue and a worker runs the flow's current
   * version, as for a webhook event. Answers with the event id once it is stored.
   */
  runNow: procedure
    .input(z.object({ flowId: z.string(), input: z.union([Item, z.array(Item)]), trigger: z.string().optional(), idempotencyKey: z.string().min(1).max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      try {
        return await ctx.services.enqueueRun({
          flowId: input.flowId,
          input: Array.isArray(input.input) ? input.input : [input.input],
          trigger: input.trigger,
          idempotencyKey: input.idempotencyKey,
        });
      } catch (error) {
        if (error instanceof EnqueueError) throw new TRPCError({ code: error.code, message: error.message });
        throw error;
      }
    }),
  /** Events per status (per flow when given): how much work waits, runs, finished or failed. */
  stats: procedure.input(z.object({ flowId: z.string().optional() })).query(({ ctx, input }) => queueCounts(ctx.services.gdb, input.flowId)),
});
