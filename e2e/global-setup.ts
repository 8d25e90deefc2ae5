import { request, type FullConfig } from "@playwright/test";
import { E2E_ADMIN, E2E_AUTH_STATE } from "./accounts";

/** Sign in once through the real sign-in endpoint and keep the session cookie for every spec. */
export default async function globalSetup(config: FullConfig) {
  // The "main" project's server has the admin; the first-run project's server has nobody yet.
  const main = config.projects.find((p) => p.name === "main") ?? config.projects[0]!;
  const baseURL = main.use.baseURL!;
  const context = await request.newContext({ baseURL });
  const response = await context.post("/api/auth/sign-in/email", {
    data: { email: E2E_ADMIN.email, password: E2E_ADMIN.password },
    headers: { origin: baseURL },
  });
  if (!response.ok()) throw new Error(`e2e sign-in failed: ${response.status()} ${await response.text()}`);
  await context.storageState({ path: E2E_AUTH_STATE });
  await context.dispose();
}
