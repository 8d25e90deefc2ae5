/**
 * Run by connection.test.ts in a child process: query every reachable server through the nodes and
 * then do nothing. Pools stay open (closeAllPools is never called); the process must still exit on
 * its own, because idle pooled connections do not hold the event loop.
 */
import { runNode } from "../../sdk";
import query from "../query";
import { allBackends, hostFor } from "./backends";

const backends = await allBackends();
for (const backend of backends) {
  if (backend.available !== true || backend.name === "sqlite") continue;
  const { outputs } = await runNode(query, {
    config: { credential: "db", sql: "SELECT :n AS n", params: { n: 1 }, readOnly: true },
    items: [{}],
    credential: backend.credential(),
    mode: "live",
    host: hostFor(backend),
  });
  if (outputs.error) throw new Error(`${backend.label}: ${JSON.stringify(outputs.error)}`);
  console.log(`queried ${backend.name}`);
}
// Close the raw fixture connections only: the pools under test stay open.
for (const backend of backends) await backend.close();
