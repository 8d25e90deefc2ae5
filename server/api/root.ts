import { executionsRouter } from "./routers/executions";
import { flowsRouter } from "./routers/flows";
import { nodesRouter } from "./routers/nodes";
import { runsRouter } from "./routers/runs";
import { router } from "./trpc";

export const appRouter = router({
  flows: flowsRouter,
  nodes: nodesRouter,
  runs: runsRouter,
  executions: executionsRouter,
});

export type AppRouter = typeof appRouter;
