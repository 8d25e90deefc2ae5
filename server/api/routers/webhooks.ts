import { z } from "zod";
import { EVENT_STATUSES, WEBHOOK_OUTCOMES } from "../../db/schema";
import { getEvent, listEvents } from "../../queue/queries";
import { notFound, publicProcedure, router } from "../trpc";

export const webhooksRouter = router({
  /** The webhook log, newest first: every request with its outcome and, when refused, why. */
  log: publicProcedure
    .input(
      z.object({
        flowId: z.string().optional(),
        outcome: z.enum(WEBHOOK_OUTCOMES).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.number().int().optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.services.webhooks.log.query({ flowId: input.flowId, outcome: input.outcome, limit: input.limit, before: input.cursor })),
  events: publicProcedure
    .input(
      z.object({
        flowId: z.string().optional(),
        status: z.enum(EVENT_STATUSES).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().optional(),
      }),
    )
    .query(({ ctx, input }) => listEvents(ctx.services.gdb, { flowId: input.flowId, status: input.status, limit: input.limit, before: input.cursor })),
  event: publicProcedure.input(z.object({ id: z.string() })).query(({ ctx, input }) => {
    const event = getEvent(ctx.services.gdb, input.id);
    if (!event) throw notFound(`event ${input.id}`);
    return event;
  }),
});
