import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { StoreError } from "../../db/errors";
import { FlowInvalidError } from "../../engine/flow/compile";
import { notFound, publicProcedure, router } from "../trpc";

const FlowRef = z.object({ id: z.string().min(1) });
const FlowName = z.string().trim().min(1, "a flow needs a name").max(200, "a flow name has at most 200 characters");

/** Expected refusals from the store and the validator become client errors with their own message (never a 500). */
function refusal(error: unknown): never {
  if (error instanceof StoreError) {
    const code = error.code === "NOT_FOUND" ? "NOT_FOUND" : error.code === "BAD_CURSOR" ? "BAD_REQUEST" : "CONFLICT";
    throw new TRPCError({ code, message: error.message, cause: error });
  }
  if (error instanceof FlowInvalidError) throw new TRPCError({ code: "BAD_REQUEST", message: "the flow is not valid", cause: error });
  throw error;
}

function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    refusal(error);
  }
}

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
    const result = guarded(() => ctx.services.flows.importFlow(input.doc, { activate: input.activate }));
    if (!result.ok) throw new TRPCError({ code: "BAD_REQUEST", message: "the flow is not valid", cause: result.error });
    return result.flow;
  }),
  create: publicProcedure.input(z.object({ name: FlowName })).mutation(({ ctx, input }) => guarded(() => ctx.services.flows.create(input.name))),
  /** Explicit save from the editor: a new version. */
  save: publicProcedure
    .input(z.object({ id: z.string().min(1), doc: z.unknown(), note: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) => guarded(() => ctx.services.flows.save(input.id, input.doc, input.note))),
  rename: publicProcedure
    .input(z.object({ id: z.string().min(1), name: FlowName }))
    .mutation(({ ctx, input }) => guarded(() => ctx.services.flows.rename(input.id, input.name))),
  duplicate: publicProcedure.input(FlowRef).mutation(({ ctx, input }) => guarded(() => ctx.services.flows.duplicate(input.id))),
  delete: publicProcedure.input(FlowRef).mutation(({ ctx, input }) => {
    if (!ctx.services.flows.remove(input.id)) throw notFound(`flow ${input.id}`);
    return { deleted: true };
  }),
  setActive: publicProcedure
    .input(z.object({ id: z.string().min(1), active: z.boolean() }))
    .mutation(({ ctx, input }) => guarded(() => ctx.services.flows.setActive(input.id, input.active))),
  versions: publicProcedure.input(FlowRef).query(({ ctx, input }) => ctx.services.flows.versions(input.id)),
  version: publicProcedure.input(z.object({ id: z.string().min(1), version: z.number().int().min(1) })).query(({ ctx, input }) => {
    const found = ctx.services.flows.version(input.id, input.version);
    if (!found) throw notFound(`version ${input.version} of flow ${input.id}`);
    return found;
  }),
  /** Make an older version current again (saved as a new version). */
  restore: publicProcedure
    .input(z.object({ id: z.string().min(1), version: z.number().int().min(1) }))
    .mutation(({ ctx, input }) => guarded(() => ctx.services.flows.restore(input.id, input.version))),
});
