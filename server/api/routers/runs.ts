import { z } from "zod";
import { publicProcedure, router } from "../trpc";

const Item = z.record(z.string(), z.unknown());

export const runsRouter = router({
  /**
   * A test run of a (possibly unsaved) flow document on a sample payload: destinations dry-run
   * unless `live`. Nothing is stored.
   */
  test: publicProcedure
    .input(
      z.object({
        doc: z.unknown(),
        input: z.union([Item, z.array(Item)]),
        startAt: z.string().optional(),
        live: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.runner.testRun({
        doc: input.doc,
        input: Array.isArray(input.input) ? input.input : [input.input],
        startAt: input.startAt,
        live: input.live,
      }),
    ),
});
