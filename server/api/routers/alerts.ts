import { TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  AlertConfigError,
  channelView,
  listChannels,
  listRules,
  removeChannel,
  removeRule,
  saveChannel,
  saveRule,
  updateChannel,
} from "../../alerts/config-store";
import { acknowledgeIncident, listIncidents } from "../../alerts/incidents";
import { ChannelEdit, ChannelInput, RuleInput } from "../../alerts/model";
import { notFound, procedure, router } from "../trpc";

/** Store refusals as tRPC errors a form can show next to the right field. */
function guarded<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof AlertConfigError)
      throw new TRPCError({ code: error.code === "NOT_FOUND" ? "NOT_FOUND" : error.code === "NAME_TAKEN" ? "CONFLICT" : "BAD_REQUEST", message: error.message, cause: error });
    throw error;
  }
}

const id = z.object({ id: z.string().min(1) });

export const alertsRouter = router({
  channels: router({
    /**
     * Channel configs name their credentials; no secret value is ever stored or returned. A
     * webhook's URL is stored but shown only as its origin (channelView): an edit without `url`
     * keeps it.
     */
    list: procedure.query(({ ctx }) => listChannels(ctx.services.gdb).map(channelView)),
    create: procedure.input(ChannelInput).mutation(({ ctx, input }) => channelView(guarded(() => saveChannel(ctx.services.gdb, input)))),
    update: procedure
      .input(z.object({ id: z.string().min(1), channel: ChannelEdit }))
      .mutation(({ ctx, input }) => channelView(guarded(() => updateChannel(ctx.services.gdb, input.id, input.channel)))),
    remove: procedure.input(id).mutation(({ ctx, input }) => {
      if (!removeChannel(ctx.services.gdb, input.id)) throw notFound(`alert channel ${input.id}`);
      return { removed: true };
    }),
  }),
  rules: router({
    list: procedure.query(({ ctx }) => listRules(ctx.services.gdb)),
    create: procedure.input(RuleInput).mutation(({ ctx, input }) => guarded(() => saveRule(ctx.services.gdb, input))),
    update: procedure
      .input(z.object({ id: z.string().min(1), rule: RuleInput }))
      .mutation(({ ctx, input }) => guarded(() => saveRule(ctx.services.gdb, input.rule, input.id))),
    remove: procedure.input(id).mutation(({ ctx, input }) => {
      if (!removeRule(ctx.services.gdb, input.id)) throw notFound(`alert rule ${input.id}`);
      return { removed: true };
    }),
  }),
  incidents: router({
    /** The in-app alert list, newest first. */
    list: procedure
      .input(
        z.object({
          status: z.enum(["open", "cleared", "all"]).default("all"),
          flowId: z.string().optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: z.string().optional(),
        }),
      )
      .query(({ ctx, input }) => listIncidents(ctx.services.gdb, { status: input.status, flowId: input.flowId, limit: input.limit, before: input.cursor })),
    acknowledge: procedure
      .input(z.object({ id: z.string().min(1) }))
      .mutation(({ ctx, input }) => ({ acknowledged: acknowledgeIncident(ctx.services.gdb, input.id, ctx.user?.email ?? "operator") })),
  }),
});
