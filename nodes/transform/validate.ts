import { Ajv, type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { NodeError, defineNode, z } from "../sdk";

// One Ajv per process: it caches compiled validators by schema, so a flow version compiles once.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

export default defineNode({
  type: "transform.validate",
  version: 1,
  category: "transform",
  title: "Validate (JSON Schema)",
  description: "Checks each item against a JSON Schema: valid items go to `main`, invalid ones to `error` listing every violation.",
  config: z
    .object({
      schema: z.record(z.string(), z.unknown()).meta({ title: "JSON Schema", description: "draft 2020-12 or draft-07" }),
    })
    .strict(),
  prepare: ({ config }) => {
    try {
      return ajv.compile(config.schema);
    } catch (error) {
      throw new Error(`the JSON Schema is not valid: ${(error as Error).message}`);
    }
  },
  runItem: ({ item, prepared }) => {
    if (prepared(item)) return { main: item };
    const violations = (prepared.errors ?? []).map(describe);
    throw new NodeError(`${violations.length} violation(s): ${violations.map((v) => `${v.path} ${v.message}`).join("; ")}`, {
      code: "VALIDATION_FAILED",
      details: violations,
    });
  },
});

function describe(error: ErrorObject): { path: string; message: string } {
  const missing = error.keyword === "required" ? `/${String((error.params as { missingProperty?: string }).missingProperty)}` : "";
  return { path: `${error.instancePath}${missing}` || "/", message: error.message ?? error.keyword };
}
