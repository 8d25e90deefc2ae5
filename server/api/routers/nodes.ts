import { z } from "zod";
import { publicProcedure, router } from "../trpc";

const GraphNode = z.object({ id: z.string(), type: z.string(), config: z.record(z.string(), z.unknown()).optional() });

export const nodesRouter = router({
  /** Every node type with its ports and config JSON Schema: the palette and the forms are built from this. */
  list: publicProcedure.query(({ ctx }) => ctx.services.registry.summaries()),
  /** Plugins that failed to load, with the reason, so an admin can see why a node is missing. */
  problems: publicProcedure.query(({ ctx }) => ctx.services.registry.problems),
  /** Ports of the nodes being edited, by id: some depend on config (a switch has one output per case). */
  ports: publicProcedure
    .input(z.object({ nodes: z.array(GraphNode).max(5_000) }))
    .query(({ ctx, input }) => ctx.services.flows.ports(input.nodes)),
});
