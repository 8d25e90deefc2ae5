import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { StoreError } from "../../db/errors";
import { DEAD_LETTER_STATUSES } from "../../db/schema";
import { DlqError } from "../../dlq/replay";
import { procedure, router } from "../trpc";

const From = z.enum(["trigger", "failedNode"]).default("trigger");
const Version = z.enum(["recorded", "current"]).default("recorded");

/** The store's refusals as tRPC errors, with their message as written for people. */
function refusal<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw asTrpc(error);
  }
}

function asTrpc(error: unknown): Error {
  // A cursor that no list returned: the person's (or client's) mistake, said as the store words it.
  if (error instanceof StoreError && error.code === "BAD_CURSOR") return new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
  if (!(error instanceof DlqError)) return error instanceof Error ? error : new Error(String(error));
  return new TRPCError({ code: error.code === "NOT_FOUND" ? "NOT_FOUND" : error.code === "CONFLICT" ? "CONFLICT" : "BAD_REQUEST", message: error.message, cause: error });
}

export const deadLettersRouter = router({
  /** Newest first; filter by flow and status; `cursor` is the previous page's `nextCursor`. */
  list: procedure
    .input(
      z.object({
        flowId: z.string().optional(),
        status: z.enum(DEAD_LETTER_STATUSES).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().optional(),
      }),
    )
    .query(({ ctx, input }) => refusal(() => ctx.services.deadLetters.list({ flowId: input.flowId, status: input.status, limit: input.limit, before: input.cursor }))),
  /** One letter with its payload, request, failing node, its recorded input and the error. */
  get: procedure.input(z.object({ id: z.string() })).query(({ ctx, input }) => refusal(() => ctx.services.deadLetters.get(input.id))),
  /** Replace the payload a replay from the trigger sends. */
  updatePayload: procedure
    .input(z.object({ id: z.string(), payload: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]) }))
    .mutation(({ ctx, input }) => refusal(() => ctx.services.deadLetters.updatePayload(input.id, input.payload))),
  /** Replay one letter now and wait for the run. */
  replay: procedure
    .input(z.object({ id: z.string(), from: From, version: Version }))
    .mutation(async ({ ctx, input }) => {
      try {
        return await ctx.services.deadLetters.replay(input.id, { from: input.from, version: input.version });
      } catch (error) {
        throw asTrpc(error);
      }
    }),
  /** Replay every open letter of a flow in the background, paced at `perSecond`; follow with replayProgress. */
  replayAll: procedure
    .input(z.object({ flowId: z.string(), from: From, version: Version, perSecond: z.number().min(0.1).max(50).optional() }))
    .mutation(({ ctx, input }) =>
      refusal(() => ctx.services.deadLetters.replayAll(input.flowId, { from: input.from, version: input.version, perSecond: input.perSecond })),
    ),
  replayProgress: procedure.input(z.object({ flowId: z.string() })).query(({ ctx, input }) => ctx.services.deadLetters.progress(input.flowId) ?? null),
  discard: procedure.input(z.object({ id: z.string() })).mutation(({ ctx, input }) => refusal(() => ctx.services.deadLetters.discard(input.id))),
});
