import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, outputPorts, inputPorts, parseConfig, runNode } from "../sdk";
import webhook from "./webhook";

function configIssues(config: unknown): { path: string; message: string }[] {
  try {
    parseConfig(webhook.config, config);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.issues;
  }
  return [];
}

describe("trigger.webhook", () => {
  test("passes the request items through", async () => {
    const items = [{ event: "contact.created", id: "c1" }, { event: "contact.updated", id: "c2" }];
    const result = await runNode(webhook, { config: { path: "crm/contacts" }, items });
    assert.deepEqual(result.outputs, { main: items });
  });

  test("fills in defaults for method and response mode", () => {
    assert.deepEqual(parseConfig(webhook.config, { path: "crm/contacts" }), {
      path: "crm/contacts",
      method: "POST",
      responseMode: "acknowledge",
      respondTimeoutMs: 30_000,
      auth: { type: "none" },
      maxBodyBytes: 1024 * 1024,
    });
  });

  test("ingress settings: auth, allowlist, schema, rate limit, idempotency header", () => {
    const config = parseConfig(webhook.config, {
      path: "p",
      auth: { type: "apiKey", credential: "partner" },
      ipAllowlist: ["192.0.2.0/24", "2001:db8::/32", "198.51.100.7"],
      schema: { type: "object", required: ["id"] },
      rateLimit: { requests: 10, perSeconds: 1 },
      idempotencyHeader: "X-Request-Id",
    });
    assert.deepEqual(config.auth, { type: "apiKey", header: "X-API-Key", credential: "partner" });
    assert.deepEqual(config.rateLimit, { requests: 10, perSeconds: 1 });
  });

  test("refuses bad ingress settings, naming each field", () => {
    const paths = configIssues({
      path: "p",
      auth: { type: "apiKey" },
      ipAllowlist: ["10.0.0.0/33", "not-an-ip"],
      schema: { type: "no-such-type" },
      rateLimit: { requests: 0, perSeconds: 1 },
      maxBodyBytes: 0,
      idempotencyHeader: "bad header",
    })
      .map((i) => i.path)
      .sort();
    assert.deepEqual(paths, ["auth.credential", "idempotencyHeader", "ipAllowlist[0]", "ipAllowlist[1]", "maxBodyBytes", "rateLimit.requests", "schema"]);
  });

  test("accepts ordinary paths", () => {
    for (const path of ["hooks", "crm/contacts", "a-b_c.d/e1", "v1.2/orders"]) assert.deepEqual(configIssues({ path }), [], path);
  });

  test("refuses path traversal and malformed paths, naming the field", async () => {
    for (const path of ["../x", "a/../b", "a//b", "/leading", "", "with space", "a/.."]) {
      const issues = configIssues({ path });
      assert.ok(issues.length > 0, `"${path}" should be refused`);
      assert.ok(
        issues.every((i) => i.path === "path"),
        `issues for "${path}" name the path field: ${JSON.stringify(issues)}`,
      );
    }
    await assert.rejects(runNode(webhook, { config: { path: "../x" }, items: [{}] }), ConfigError);
  });

  test("a path is required and the method is an enum", () => {
    assert.deepEqual(
      configIssues({}).map((i) => i.path),
      ["path"],
    );
    assert.deepEqual(
      configIssues({ path: "ok", method: "TRACE" }).map((i) => i.path),
      ["method"],
    );
    assert.deepEqual(
      configIssues({ path: "ok", extra: 1 }).map((i) => i.path),
      [""],
    );
  });

  test("is a trigger: no inputs, a main and an error output, only one per flow", () => {
    assert.deepEqual(inputPorts(webhook), []);
    assert.deepEqual(outputPorts(webhook), ["main", "error"]);
    assert.notEqual(webhook.multiple, true);
  });
});
