import { defineConfig } from "drizzle-kit";

/** `npm run db:generate` writes SQL migrations to ./drizzle; server/db/client.ts applies them at start. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./server/db/schema.ts",
  out: "./drizzle",
  strict: true,
  verbose: true,
});
