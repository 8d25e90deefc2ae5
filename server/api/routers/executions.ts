import { z } from "zod";
import { notFound, publicProcedure, router } from "../trpc";

export const executionsRouter = router({
  list: publicProcedure
    .input(z.object({ flowId: z.string().optional(), limit: z.number().int().min(1).max(200).default(50), before: z.string().optional() }))
    .query(({ ctx, input }) => ctx.services.runner.list(input)),
  get: publicProcedure.input(z.object({ id: z.string() })).query(({ ctx, input }) => {
    const execution = ctx.services.runner.get(input.id);
    if (!execution) throw notFound(`execution ${input.id}`);
    return execution;
  }),
  cancel: publicProcedure.input(z.object({ id: z.string() })).mutation(({ ctx, input }) => ({ cancelled: ctx.services.runner.cancel(input.id) })),
});
