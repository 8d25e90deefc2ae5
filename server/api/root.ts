import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { credentialsRouter } from "./routers/credentials";
import { deadLettersRouter } from "./routers/deadLetters";
import { alertsRouter } from "./routers/alerts";
import { executionsRouter } from "./routers/executions";
import { filesRouter } from "./routers/files";
import { flowsRouter } from "./routers/flows";
import { nodesRouter } from "./routers/nodes";
import { queueRouter } from "./routers/queue";
import { runsRouter } from "./routers/runs";
import { schedulesRouter } from "./routers/schedules";
import { testCasesRouter } from "./routers/testCases";
import { usersRouter } from "./routers/users";
import { webhooksRouter } from "./routers/webhooks";
import { router } from "./trpc";

export const appRouter = router({
  flows: flowsRouter,
  nodes: nodesRouter,
  runs: runsRouter,
  executions: executionsRouter,
  schedules: schedulesRouter,
  webhooks: webhooksRouter,
  alerts: alertsRouter,
  auth: authRouter,
  users: usersRouter,
  credentials: credentialsRouter,
  audit: auditRouter,
  files: filesRouter,
  testCases: testCasesRouter,
  deadLetters: deadLettersRouter,
  queue: queueRouter,
});

export type AppRouter = typeof appRouter;
