import { publicProcedure, router } from "../trpc";

export const nodesRouter = router({
  /** Every node type with its ports and config JSON Schema: the palette and the forms are built from this. */
  list: publicProcedure.query(({ ctx }) => ctx.services.registry.summaries()),
  /** Plugins that failed to load, with the reason, so an admin can see why a node is missing. */
  problems: publicProcedure.query(({ ctx }) => ctx.services.registry.problems),
});
