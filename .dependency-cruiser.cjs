/** The import rules of DESIGN.md, checked in `npm test` so the architecture cannot erode silently. */
module.exports = {
  forbidden: [
    {
      name: "engine-not-app",
      comment: "Server code never imports the UI.",
      severity: "error",
      from: { path: "^(server|nodes|bin)/" },
      to: { path: "^app/" },
    },
    {
      name: "nodes-only-sdk",
      comment: "A node imports only nodes/sdk (and libraries), never the server or another family.",
      severity: "error",
      from: { path: "^nodes/([^/]+)/", pathNot: "^nodes/sdk/" },
      to: { path: "^(server|app|nodes/(?!sdk/|$1/))" },
    },
    {
      name: "sdk-self-contained",
      comment: "The plugin SDK stands alone: it imports no server code and no node family.",
      severity: "error",
      from: { path: "^nodes/sdk/" },
      to: { path: "^(server|app)/|^nodes/(?!sdk/)" },
    },
    {
      name: "engine-finds-nodes-through-registry",
      comment: "The engine never imports a node file by name; it asks the registry.",
      severity: "error",
      from: { path: "^server/" },
      to: { path: "^nodes/(?!sdk/)" },
    },
    {
      name: "app-only-types-and-pure-engine",
      comment: "The UI talks to the server over tRPC; it may import only types and pure graph helpers.",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^server/", pathNot: "^server/(api/root\\.ts|engine/flow/graph\\.ts)$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js"] },
  },
};
