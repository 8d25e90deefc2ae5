import { z } from "zod";
import { router, procedure } from "../trpc";

export const auditRouter = router({
  list: procedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        before: z.number().int().optional(),
        action: z.string().max(100).optional(),
        outcome: z.enum(["ok", "denied", "failed", "suspicious"]).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.services.audit.list(input)),
});
