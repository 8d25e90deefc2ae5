import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "../../server/api/root";

/** The browser's typed client of Gate's API; only the router's type crosses from the server. */
export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/api/trpc" })],
});
