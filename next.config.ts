import type { NextConfig } from "next";

// The UI is a client of the tRPC API served by Gate's own HTTP server (server/http), so Next only
// renders pages: no server code is bundled into it.
const config: NextConfig = {
  reactStrictMode: true,
  devIndicators: false,
  poweredByHeader: false,
  // tsconfig covers the whole repository (server, nodes, tests); `npm run typecheck` checks all of it.
  // Next would check it again on every UI build, so a type error in a test file would stop the UI
  // from starting: the one type check lives in the test suite instead.
  typescript: { ignoreBuildErrors: true },
};

export default config;
