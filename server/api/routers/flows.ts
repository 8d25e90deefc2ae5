import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { notFound, publicProcedure, router } from "../trpc";

const FlowRef = z.object({ id: z.string().min(1) });

export const flowsRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.services.flows.list()),
  get: publicProcedure.input(FlowRef).query(({ ctx, input }) => {
    const flow = ctx.services.flows.get(input.id);
    if (!flow) throw notFound(`flow ${input.id}`);
    return flow;
  }),
  /** Check a document without saving it: every problem with its node id and field path. */
  validate: publicProcedure.input(z.object({ doc: z.unknown() })).mutation(({ ctx, input }) => ctx.services.flows.validate(input.doc)),
  import: publicProcedure.input(z.object({ doc: z.unknown(), activate: z.boolean().default(false) })).mutation(({ ctx, input }) => {
    const result = ctx.services.flows.importFlow(input.doc, { activate: input.activate });
    if (!result.ok) throw new TRPCError({ code: "BAD_REQUEST", message: "the flow is not valid", cause: result.error });
    return result.flow;
  }),
  versions: publicProcedure.input(FlowRef).query(({ ctx, input }) => ctx.services.flows.versions(input.id)),
});
