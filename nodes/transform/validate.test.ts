import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { runNode, type Item, type ItemError } from "../sdk";
import validate from "./validate";

const schema = {
  type: "object",
  required: ["id", "email"],
  properties: {
    id: { type: "integer", minimum: 1 },
    email: { type: "string", format: "email" },
    tags: { type: "array", items: { type: "string" } },
  },
};

async function run(items: Item[], s: Record<string, unknown> = schema) {
  return (await runNode(validate, { config: { schema: s }, items })).outputs;
}

describe("transform.validate", () => {
  test("valid items go to main unchanged", async () => {
    const items = [{ id: 1, email: "a@example.com" }, { id: 2, email: "b@example.com", tags: ["x"] }];
    assert.deepEqual(await run(items), { main: items });
  });

  test("an invalid item goes to error listing every violation in details", async () => {
    const bad = { id: 0, tags: ["ok", 3], email: "not-an-email" };
    const out = await run([{ id: 5, email: "ok@example.com" }, bad, { email: "x@example.com" }]);
    assert.deepEqual(out.main, [{ id: 5, email: "ok@example.com" }]);
    assert.equal(out.error?.length, 2);

    const first = out.error[0]! as { error: ItemError; item: Item };
    assert.deepEqual(first.item, bad);
    assert.equal(first.error.code, "VALIDATION_FAILED");
    const details = first.error.details as { path: string; message: string }[];
    assert.deepEqual(details.map((d) => d.path).sort(), ["/email", "/id", "/tags/1"]);
    for (const d of details) assert.equal(typeof d.message, "string");
    assert.match(first.error.message, /^3 violation\(s\): /);
    assert.match(first.error.message, /\/id must be >= 1/);

    const second = out.error[1]!.error as ItemError;
    assert.deepEqual(second.details, [{ path: "/id", message: "must have required property 'id'" }]);
  });

  test("a violation of the item as a whole is reported at /", async () => {
    const out = await run([{ a: 1 }], { type: "object", maxProperties: 0 });
    const error = out.error![0]!.error as ItemError;
    assert.deepEqual(
      (error.details as { path: string }[]).map((d) => d.path),
      ["/"],
    );
  });

  test("a broken schema fails config preparation", async () => {
    await assert.rejects(runNode(validate, { config: { schema: { type: "nonsense" } }, items: [{}] }), /the JSON Schema is not valid/);
    await assert.rejects(
      runNode(validate, { config: { schema: { $ref: "#/definitions/missing" } }, items: [{}] }),
      /the JSON Schema is not valid/,
    );
  });

  test("a schema is required", async () => {
    await assert.rejects(runNode(validate, { config: {} }), /schema/);
  });
});
