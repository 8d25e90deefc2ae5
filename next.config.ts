import type { NextConfig } from "next";

// The UI is a client of the tRPC API served by Gate's own HTTP server (server/http), so Next only
// renders pages: no server code is bundled into it.
const config: NextConfig = {
  reactStrictMode: true,
  devIndicators: false,
  poweredByHeader: false,
};

export default config;
