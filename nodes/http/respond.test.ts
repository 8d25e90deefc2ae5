import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, runNode } from "../sdk";
import respond from "./respond";

describe("respond", () => {
  test("one item: the body is that item, status 200, JSON content type; items pass on", async () => {
    const result = await runNode(respond, { items: [{ ok: true, id: 7 }] });
    assert.deepEqual(result.response, {
      status: 200,
      headers: { "content-type": "application/json" },
      body: { ok: true, id: 7 },
    });
    assert.deepEqual(result.outputs, { main: [{ ok: true, id: 7 }] });
  });

  test("several items (or none): the body is the array", async () => {
    const many = await runNode(respond, { items: [{ a: 1 }, { a: 2 }] });
    assert.deepEqual(many.response?.body, [{ a: 1 }, { a: 2 }]);
    const none = await runNode(respond, { items: [] });
    assert.deepEqual(none.response?.body, []);
  });

  test("a literal body, status and headers are used as given", async () => {
    const result = await runNode(respond, {
      config: { status: 201, headers: { "x-request-id": "abc", "content-type": "text/plain" }, body: "created" },
      items: [{ a: 1 }, { a: 2 }],
    });
    assert.deepEqual(result.response, {
      status: 201,
      headers: { "content-type": "text/plain", "x-request-id": "abc" },
      body: "created",
    });
    const object = await runNode(respond, { config: { body: { accepted: true, n: [1, 2] } }, items: [{ a: 1 }] });
    assert.deepEqual(object.response?.body, { accepted: true, n: [1, 2] });
  });

  test("a {kind:'expr'} body is evaluated against the first item", async () => {
    const result = await runNode(respond, {
      config: { status: 202, body: { kind: "expr", expr: "{ 'received': id, 'upper': $uppercase(name) }" } },
      items: [
        { id: 1, name: "ada" },
        { id: 2, name: "alan" },
      ],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(result.response?.body)), { received: 1, upper: "ADA" });
    assert.equal(result.response?.status, 202);
    const scalar = await runNode(respond, { config: { body: { kind: "expr", expr: "id * 10" } }, items: [{ id: 4 }] });
    assert.equal(scalar.response?.body, 40);
  });

  test("status codes outside 100–599 and non-text headers are refused", async () => {
    await assert.rejects(runNode(respond, { config: { status: 99 } }), ConfigError);
    await assert.rejects(runNode(respond, { config: { status: 600 } }), ConfigError);
    await assert.rejects(runNode(respond, { config: { headers: { "x-n": 1 } } }), ConfigError);
  });

  test("a broken body expression is refused when the config is prepared, at body.expr", async () => {
    await assert.rejects(runNode(respond, { config: { body: { kind: "expr", expr: "{ 'a': " } } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.issues[0]!.path, "body.expr");
      return true;
    });
  });

  test("is a destination without side effects (answering the caller is not a dry-run send)", () => {
    assert.equal(respond.category, "destination");
    assert.notEqual(respond.sideEffects, true);
  });
});
