import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { credentialRef, defineNode, z } from "../../../nodes/sdk";
import { NodeRegistry } from "../registry";
import { compileFlow, FlowInvalidError } from "./compile";
import type { FlowDocInput } from "./schema";
import { validateFlow, type Problem } from "./validate";

let registry: NodeRegistry;

before(async () => {
  registry = new NodeRegistry();
  await registry.loadDirectory();
  // A node whose config takes free-form headers and extra keys, as a plugin might.
  registry.register(
    defineNode({
      type: "test.loose",
      version: 1,
      category: "destination",
      title: "Loose test node",
      description: "Accepts extra config keys",
      config: z.looseObject({
        headers: z.record(z.string(), z.string()).default({}),
        // A credential reference under a secret-sounding name is still just a reference.
        token: credentialRef().optional(),
      }),
      run: ({ items }) => ({ main: items }),
    }),
    "test",
  );
});

type NodeInput = FlowDocInput["nodes"][number];
type EdgeInput = NonNullable<FlowDocInput["edges"]>[number];

function flow(nodes: NodeInput[], edges: EdgeInput[] = [], extra: Partial<FlowDocInput> = {}): FlowDocInput {
  return { schemaVersion: 1, name: "test flow", nodes, edges, ...extra };
}

const trigger: NodeInput = { id: "in", type: "trigger.manual" };

function problems(doc: unknown): Problem[] {
  const result = validateFlow(doc, registry);
  assert.equal(result.ok, false, "expected the flow to be refused");
  return result.problems;
}

/** Exactly one problem, at `path`; returns its message. */
function onlyProblem(doc: unknown, path: string): string {
  const found = problems(doc);
  assert.deepEqual(
    found.map((p) => p.path),
    [path],
    JSON.stringify(found, null, 2),
  );
  return found[0]!.message;
}

describe("validateFlow", () => {
  test("the registry holds the core nodes and the test node", () => {
    for (const type of [
      "trigger.manual",
      "trigger.webhook",
      "map.fields",
      "map.jsonata",
      "transform.filter",
      "transform.validate",
      "logic.if",
      "logic.switch",
      "logic.merge",
      "respond",
      "test.loose",
    ])
      assert.ok(registry.get(type), type);
  });

  test("a valid flow passes with defaults filled in", () => {
    const result = validateFlow(
      flow(
        [
          { id: "in", type: "trigger.webhook", config: { path: "crm/contacts" } },
          { id: "map", type: "map.fields", config: { fields: [{ target: "fullName", expr: "first & ' ' & last", type: "string" }] } },
          { id: "sw", type: "logic.switch", config: { cases: [{ port: "vip", condition: "vip" }] } },
          { id: "out", type: "respond" },
          { id: "alert", type: "map.jsonata", config: { expr: "{ 'failed': true }" } },
        ],
        [
          { from: "in", to: "map" },
          { from: "map", to: "sw" },
          { from: "sw", fromPort: "vip", to: "out" },
          { from: "map", fromPort: "error", to: "alert" },
        ],
      ),
      registry,
    );
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    assert.equal(result.flow?.edges[0]!.fromPort, "main");
    assert.equal(result.flow?.settings.timeoutMs, 300_000);
    assert.deepEqual(result.flow?.nodes[0]!.config, { path: "crm/contacts" });
  });

  test("unknown node type, with a suggestion when one is close", () => {
    const suggested = onlyProblem(flow([trigger, { id: "map", type: "fields" }], [{ from: "in", to: "map" }]), "nodes[map].type");
    assert.equal(suggested, 'unknown node type "fields"; did you mean "map.fields"?');
    const byCase = onlyProblem(flow([trigger, { id: "m", type: "Map.Fields" }]), "nodes[m].type");
    assert.match(byCase, /did you mean "map\.fields"\?$/);
    const none = onlyProblem(flow([trigger, { id: "x", type: "acme.nothing" }]), "nodes[x].type");
    assert.equal(none, 'unknown node type "acme.nothing"');
  });

  test("config failing the node's schema names the field", () => {
    const message = onlyProblem(
      flow([trigger, { id: "map", type: "map.fields", config: { fields: [{ target: "a", expr: "a", type: "float" }] } }], [
        { from: "in", to: "map" },
      ]),
      "nodes[map].config.fields[0].type",
    );
    assert.match(message, /string|number|integer/);
    onlyProblem(flow([trigger, { id: "wh2", type: "trigger.manual", config: { bogus: 1 } }]), "nodes[wh2].config");
    assert.match(
      onlyProblem(flow([{ id: "hook", type: "trigger.webhook", config: { path: "a/../x" } }]), "nodes[hook].config.path"),
      /`\.\.` segments/,
    );
    // "../x" breaks two rules of the same field: both are reported there.
    assert.deepEqual(
      problems(flow([{ id: "hook", type: "trigger.webhook", config: { path: "../x" } }])).map((p) => p.path),
      ["nodes[hook].config.path", "nodes[hook].config.path"],
    );
    onlyProblem(flow([trigger, { id: "mg", type: "logic.merge", config: { mode: "byKey" } }]), "nodes[mg].config.key");
  });

  test("a node whose prepare fails (a broken JSON Schema) is reported at its config", () => {
    const message = onlyProblem(flow([trigger, { id: "v", type: "transform.validate", config: { schema: { type: "nonsense" } } }]), "nodes[v].config");
    assert.match(message, /the JSON Schema is not valid/);
  });

  test("edge to or from a missing node", () => {
    assert.equal(onlyProblem(flow([trigger], [{ from: "in", to: "ghost" }]), "edges[0]"), 'there is no node "ghost"');
    assert.equal(
      onlyProblem(flow([trigger, { id: "f", type: "transform.filter", config: { condition: "x" } }], [{ from: "in", to: "f" }, { from: "ghost", to: "f" }]), "edges[1]"),
      'there is no node "ghost"',
    );
  });

  test("edge from or to an unknown port", () => {
    const nodes: NodeInput[] = [
      trigger,
      { id: "f", type: "transform.filter", config: { condition: "x" } },
      { id: "mg", type: "logic.merge" },
    ];
    assert.equal(
      onlyProblem(flow(nodes, [{ from: "in", to: "f" }, { from: "f", fromPort: "true", to: "mg", toPort: "a" }]), "edges[1]"),
      '"f" has no output "true" (it has main, error)',
    );
    assert.equal(
      onlyProblem(flow(nodes, [{ from: "in", to: "f" }, { from: "f", to: "mg" }]), "edges[1]"),
      '"mg" has no input "main" (it has a, b)',
    );
    assert.equal(
      onlyProblem(flow(nodes, [{ from: "in", to: "f" }, { from: "f", to: "mg", toPort: "c" }]), "edges[1]"),
      '"mg" has no input "c" (it has a, b)',
    );
  });

  test("logic.switch output ports come from its cases", () => {
    const nodes: NodeInput[] = [
      trigger,
      {
        id: "sw",
        type: "logic.switch",
        config: {
          cases: [
            { port: "big", condition: "amount > 100" },
            { port: "small", condition: "amount <= 100" },
          ],
        },
      },
      { id: "x", type: "map.jsonata", config: { expr: "$" } },
      { id: "y", type: "map.jsonata", config: { expr: "$" } },
    ];
    const ok = validateFlow(
      flow(nodes, [
        { from: "in", to: "sw" },
        { from: "sw", fromPort: "big", to: "x" },
        { from: "sw", fromPort: "default", to: "y" },
        { from: "sw", fromPort: "small", to: "y" },
      ]),
      registry,
    );
    assert.deepEqual(ok.problems, []);
    const message = onlyProblem(
      flow(nodes, [
        { from: "in", to: "sw" },
        { from: "sw", fromPort: "huge", to: "x" },
      ]),
      "edges[1]",
    );
    assert.equal(message, '"sw" has no output "huge" (it has big, small, default, error)');
  });

  test("a cycle is reported once, with the cycle path in the message", () => {
    const f = (id: string): NodeInput => ({ id, type: "transform.filter", config: { condition: "true" } });
    const found = problems(
      flow(
        [trigger, f("a"), f("b"), f("c")],
        [
          { from: "in", to: "a" },
          { from: "a", to: "b" },
          { from: "b", to: "c" },
          { from: "c", to: "a" },
        ],
      ),
    );
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]!.path, "edges");
    assert.match(found[0]!.message, /^the flow has a cycle: (a → b → c → a|b → c → a → b|c → a → b → c) /);
  });

  test("a second non-manual trigger is refused; manual triggers may be added", () => {
    const hook = (id: string, path: string): NodeInput => ({ id, type: "trigger.webhook", config: { path } });
    const message = onlyProblem(flow([hook("w1", "a"), hook("w2", "b")]), "nodes[w2]");
    assert.match(message, /"w1" already starts this flow/);
    assert.deepEqual(validateFlow(flow([hook("w1", "a"), trigger, { id: "m2", type: "trigger.manual" }]), registry).problems, []);
  });

  test("a trigger with an incoming edge is refused", () => {
    const message = onlyProblem(
      flow(
        [
          { id: "w", type: "trigger.webhook", config: { path: "p" } },
          { id: "in", type: "trigger.manual" },
        ],
        [{ from: "in", to: "w" }],
      ),
      "edges[0]",
    );
    assert.equal(message, '"w" is a trigger: it starts the flow and takes no input');
  });

  test("a flow without a trigger is refused", () => {
    const message = onlyProblem(flow([{ id: "f", type: "transform.filter", config: { condition: "x" } }]), "nodes");
    assert.match(message, /no trigger/);
  });

  test("a duplicate node id is refused", () => {
    const message = onlyProblem(
      flow([trigger, { id: "f", type: "transform.filter", config: { condition: "a" } }, { id: "f", type: "map.jsonata", config: { expr: "$" } }]),
      "nodes[f].id",
    );
    assert.equal(message, 'node id "f" is used twice');
  });

  describe("inline secrets", () => {
    test("a secret-looking key with a literal value, on a node that accepts extra keys", () => {
      const message = onlyProblem(flow([trigger, { id: "t", type: "test.loose", config: { apiKey: "abc123" } }]), "nodes[t].config.apiKey");
      assert.match(message, /secret.*credential/);
    });

    test("an Authorization header holding a bearer token", () => {
      onlyProblem(
        flow([trigger, { id: "t", type: "test.loose", config: { headers: { Authorization: "Bearer abcdefghijkl" } } }]),
        "nodes[t].config.headers.Authorization",
      );
      // Core nodes too: respond's headers.
      onlyProblem(
        flow([trigger, { id: "r", type: "respond", config: { headers: { "x-token": "Bearer abcdefghijkl" } } }]),
        "nodes[r].config.headers.x-token",
      );
    });

    test("a well-known secret format under any key", () => {
      onlyProblem(flow([trigger, { id: "t", type: "test.loose", config: { note: "sk_live_abcdefghijkl" } }]), "nodes[t].config.note");
    });

    test("credential references, expressions and harmless values are not secrets", () => {
      const result = validateFlow(
        flow([
          trigger,
          {
            id: "t",
            type: "test.loose",
            config: {
              token: "crm-api-key",
              headers: { Authorization: "", "x-trace": "abc" },
              password: { kind: "expr", expr: "$request.headers.password" },
              note: "Bearer",
            },
          },
        ]),
        registry,
      );
      assert.deepEqual(result.problems, []);
    });
  });

  describe("expressions", () => {
    test("a JSONata syntax error is reported at the expression field", () => {
      const message = onlyProblem(
        flow([trigger, { id: "f", type: "transform.filter", config: { condition: "age >=" } }], [{ from: "in", to: "f" }]),
        "nodes[f].config.condition",
      );
      assert.match(message, /^expression does not compile: /);
      onlyProblem(
        flow([trigger, { id: "map", type: "map.fields", config: { fields: [{ target: "a", expr: "a" }, { target: "b", expr: "(b" }] } }]),
        "nodes[map].config.fields[1].expr",
      );
      onlyProblem(
        flow([trigger, { id: "sw", type: "logic.switch", config: { cases: [{ port: "p", condition: "x = " }] } }]),
        "nodes[sw].config.cases[0].condition",
      );
    });

    test("a syntax error inside a {kind:'expr'} value is reported at its expr", () => {
      const message = onlyProblem(flow([trigger, { id: "r", type: "respond", config: { body: { kind: "expr", expr: "{ 'a': " } } }]), "nodes[r].config.body.expr");
      assert.ok(message.length > 0);
      onlyProblem(
        flow([trigger, { id: "t", type: "test.loose", config: { headers: {}, deep: [{ v: { kind: "expr", expr: "1 +" } }] } }]),
        "nodes[t].config.deep[0].v.expr",
      );
    });
  });

  test("schemaVersion other than 1 is refused", () => {
    const message = onlyProblem({ ...flow([trigger]), schemaVersion: 2 }, "schemaVersion");
    assert.match(message, /schemaVersion must be 1/);
  });

  test("document shape problems name the node by id", () => {
    const found = problems({ ...flow([trigger, { id: "f", type: "transform.filter", config: { condition: "x" } }]), edges: [{ from: "in" }] });
    assert.deepEqual(
      found.map((p) => p.path),
      ["edges[0].to"],
    );
    const extra = problems(flow([trigger, { id: "f", type: "transform.filter", retry: { maxAttempts: 0 } }]));
    assert.deepEqual(
      extra.map((p) => p.path),
      ["nodes[f].retry.maxAttempts"],
    );
  });

  test("a flow with several problems reports all of them at once", () => {
    const found = problems(
      flow(
        [
          { id: "w1", type: "trigger.webhook", config: { path: "a" } },
          { id: "w2", type: "trigger.webhook", config: { path: "b" } },
          { id: "map", type: "map.fields", config: { fields: [{ target: "a", expr: "a", type: "float" }] } },
          { id: "f", type: "transform.filter", config: { condition: "age >=" } },
          { id: "x", type: "fields" },
          { id: "t", type: "test.loose", config: { apiKey: "abc123" } },
          { id: "f", type: "map.jsonata", config: { expr: "$" } },
        ],
        [
          { from: "w1", to: "map" },
          { from: "map", to: "nowhere" },
          { from: "map", fromPort: "nope", to: "t" },
          { from: "t", to: "w2" },
        ],
      ),
    );
    const paths = found.map((p) => p.path).sort();
    assert.deepEqual(paths, [
      "edges[1]",
      "edges[2]",
      "edges[3]",
      "nodes[f].config.condition",
      "nodes[f].id",
      "nodes[map].config.fields[0].type",
      "nodes[t].config.apiKey",
      "nodes[w2]",
      "nodes[x].type",
    ]);
    for (const p of found.filter((x) => x.path.startsWith("nodes["))) assert.ok(p.node, `problem at ${p.path} names its node`);
  });

  test("compileFlow throws FlowInvalidError carrying every problem", () => {
    assert.throws(
      () => compileFlow(flow([{ id: "f", type: "transform.filter", config: { condition: "(" } }]), registry),
      (error: unknown) => {
        assert.ok(error instanceof FlowInvalidError);
        assert.deepEqual(error.problems.map((p) => p.path).sort(), ["nodes", "nodes[f].config.condition"]);
        assert.match(error.message, /nodes\[f\]\.config\.condition: /);
        return true;
      },
    );
  });
});
