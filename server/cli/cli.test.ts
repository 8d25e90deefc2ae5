// The `gate` CLI as people use it: the real bin/gate.js in a child process, real files, real exit codes.
import { after, before, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { listFlows } from "../db/flows";
import { ROOT, gate, type Result } from "./testing";

const EXAMPLES = ["crm-contact", "order-validation", "ticket-routing"] as const;

/** A failure is one clear line, never a stack trace. */
function assertNoStack(r: Result) {
  assert.doesNotMatch(r.stderr, /\n\s+at /, `stack trace in stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stdout, /\n\s+at /, `stack trace in stdout:\n${r.stdout}`);
}

type JsonNode = { status: string; durationMs: number; itemsIn: number; itemsOut: number; output: Record<string, Record<string, unknown>[]>; error?: { code: string; node?: string; message: string } };
type JsonRun = { status: string; error?: { code: string; node?: string; message: string }; response?: { status: number; headers: Record<string, string>; body: unknown }; nodes: Record<string, JsonNode> };

/** stdout of `gate run --json`: exactly one JSON object on one line, of the documented shape. */
function parseRunJson(r: Result): JsonRun {
  assert.equal(r.stdout.endsWith("\n"), true, "output ends with a newline");
  assert.equal(r.stdout.trimEnd().split("\n").length, 1, "one line of JSON");
  const run = JSON.parse(r.stdout) as JsonRun;
  assert.equal(typeof run, "object");
  assert.ok(["success", "failed"].includes(run.status));
  const allowed = new Set(["status", "error", "response", "nodes"]);
  for (const key of Object.keys(run)) assert.ok(allowed.has(key), `unexpected top-level key ${key}`);
  for (const [id, node] of Object.entries(run.nodes)) {
    const keys = Object.keys(node).sort();
    const expected = ["durationMs", "itemsIn", "itemsOut", "output", "status", ...(node.error ? ["error"] : [])].sort();
    assert.deepEqual(keys, expected, `keys of nodes.${id}`);
    assert.equal(typeof node.durationMs, "number");
    assert.ok(node.durationMs >= 0);
    assert.ok(Number.isInteger(node.itemsIn) && Number.isInteger(node.itemsOut));
    for (const items of Object.values(node.output)) assert.ok(Array.isArray(items));
  }
  return run;
}

const mapFailing = {
  schemaVersion: 1,
  name: "Needs an email",
  nodes: [
    { id: "in", type: "trigger.manual", config: {} },
    { id: "map", type: "map.fields", config: { fields: [{ target: "email", expr: "email", type: "string", required: true }] } },
    { id: "after", type: "map.fields", config: { keepInput: true, fields: [] } },
  ],
  edges: [
    { from: "in", to: "map" },
    { from: "map", to: "after" },
  ],
};

const manyProblems = {
  schemaVersion: 1,
  name: "Broken",
  nodes: [
    { id: "in", type: "trigger.manual", config: {} },
    { id: "x", type: "map.field", config: {} },
    { id: "f", type: "transform.filter", config: { condition: "a = = b" } },
  ],
  edges: [
    { from: "in", to: "x" },
    { from: "in", to: "f" },
    { from: "f", fromPort: "nope", to: "x" },
  ],
};

let tmp: string;
const file = (name: string) => path.join(tmp, name);

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "gate-cli-"));
  await writeFile(file("invalid.json"), JSON.stringify(manyProblems, null, 2));
  await writeFile(file("broken.json"), '{\n  "schemaVersion": 1,\n  "name": oops\n}\n');
  await writeFile(file("map-failing.json"), JSON.stringify(mapFailing));
  await writeFile(file("number.json"), "42\n");
});

after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("gate CLI", { concurrency: true }, () => {
  // The flows commands open a data folder each time (the slowest spawns): three independent
  // chains in their own folders, started first so that they overlap with everything else.
  describe("flows", { concurrency: true }, () => {
    const crm = path.join(ROOT, "examples/crm-contact.json");
    const dataDir = async (t: TestContext) => {
      const dir = await mkdtemp(path.join(tmp, "data-"));
      t.after(() => rm(dir, { recursive: true, force: true }));
      return dir;
    };
    const flows = (data: string, ...args: string[]) => gate(["flows", ...args, "--data", data]);

    test("import --activate, list, export (identical round trip), import again → version 2", async (t) => {
      const data = await dataDir(t);
      const original = JSON.parse(await readFile(crm, "utf8")) as unknown;

      const imported = await flows(data, "import", crm, "--activate");
      assert.equal(imported.code, 0, imported.stderr);
      const id = /^imported "CRM contact sync" as ([0-9a-f-]{36}) \(version 1, active\)\n$/.exec(imported.stdout)?.[1];
      assert.ok(id, imported.stdout);

      const listed = await flows(data, "list");
      assert.equal(listed.code, 0, listed.stderr);
      assert.equal(listed.stdout, `${id}  active    v1  CRM contact sync\n`);

      const out = path.join(data, "exported.json");
      const exported = await flows(data, "export", "CRM contact sync", out);
      assert.equal(exported.code, 0, exported.stderr);
      assert.equal(exported.stdout, "");
      assert.deepEqual(JSON.parse(await readFile(out, "utf8")), original);

      const again = await flows(data, "import", crm);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, `imported "CRM contact sync" as ${id} (version 2, active)\n`);
    });

    test("importing an invalid flow: exit 2 with its problems, nothing stored", async (t) => {
      const data = await dataDir(t);
      const invalid = await flows(data, "import", file("invalid.json"));
      assert.equal(invalid.code, 2);
      assert.equal(invalid.stdout, "");
      assert.match(invalid.stderr, /invalid\.json: nodes\[x\]\.type: unknown node type "map\.field"/);
      assert.match(invalid.stderr, /\n\d+ problems\n$/);
      assertNoStack(invalid);
    });

    test("a second flow on an active flow's webhook path: refused naming that flow, not stored", async (t) => {
      const data = await dataDir(t);
      const twin = path.join(data, "twin.json");
      await writeFile(twin, JSON.stringify({ ...(JSON.parse(await readFile(crm, "utf8")) as object), name: "Twin" }));
      assert.equal((await flows(data, "import", crm, "--activate")).code, 0);

      const collision = await flows(data, "import", twin, "--activate");
      assert.notEqual(collision.code, 0);
      assert.equal(collision.stdout, "");
      assert.match(collision.stderr, /webhook POST \/hooks\/crm\/contacts is already used by the active flow "CRM contact sync"/);
      assertNoStack(collision);

      // Read the folder directly (cheaper than one more process): only the first flow is there.
      const gdb = openDatabase(data);
      try {
        assert.deepEqual(
          listFlows(gdb).map((f) => [f.name, f.active, f.version]),
          [["CRM contact sync", true, 1]],
        );
      } finally {
        gdb.close();
      }
    });
  });

  describe("validate", { concurrency: true }, () => {
    test("the example flows are valid", async () => {
      const r = await gate(["validate", ...EXAMPLES.map((e) => `examples/${e}.json`)]);
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, "valid\n");
      assert.equal(r.code, 0);
    });

    test("every problem of an invalid flow, each as <file>: <path>: <message>, then a count; exit 2", async () => {
      // A valid file first: the invalid one after it must still be read and reported.
      const r = await gate(["validate", "examples/crm-contact.json", file("invalid.json")]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trimEnd().split("\n");
      const f = file("invalid.json");
      assert.ok(lines.some((l) => l.startsWith(`${f}: nodes[x].type: unknown node type "map.field"`)), r.stderr);
      assert.ok(lines.some((l) => l.startsWith(`${f}: nodes[f].config.condition: expression does not compile: `) && /at character \d+/.test(l)), r.stderr);
      assert.ok(lines.some((l) => l.startsWith(`${f}: edges[2]: `) && l.includes('"nope"')), r.stderr);
      const problems = lines.slice(0, -1);
      for (const line of problems) assert.ok(line.startsWith(`${f}: `), `not prefixed with the file: ${line}`);
      assert.equal(lines.at(-1), `${problems.length} problems`);
      assert.ok(problems.length >= 3);
      assertNoStack(r);
    });

    test("broken JSON names file:line:col, exit 2, no stack trace", async () => {
      const r = await gate(["validate", file("broken.json")]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      // `oops` starts at line 3, column 11.
      assert.match(r.stderr, new RegExp(`${escape(file("broken.json"))}:3:11: invalid JSON`));
      assert.doesNotMatch(r.stderr, /is not valid JSON/, "the message quotes no multi-line source");
      assert.doesNotMatch(r.stderr, / {4}at /);
      assertNoStack(r);
    });

    test("a missing file: exit 2, no such file", async () => {
      const r = await gate(["validate", file("missing.json")]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`${escape(file("missing.json"))}: no such file`));
      assertNoStack(r);
    });
  });

  describe("run", { concurrency: true }, () => {
    test("crm-contact --json: the documented shape, the mapped contact and the response", async () => {
      const r = await gate(["run", "examples/crm-contact.json", "--input", "examples/crm-contact.sample.json", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const run = parseRunJson(r);
      assert.equal(run.status, "success");
      assert.equal(run.error, undefined);
      assert.deepEqual(Object.keys(run.nodes), ["in", "map", "reply"]);
      const contact = JSON.parse(await readFile(path.join(ROOT, "examples/crm-contact.expected.json"), "utf8")) as unknown;
      const map = run.nodes.map!;
      assert.equal(map.status, "success");
      assert.equal(map.itemsIn, 1);
      assert.equal(map.itemsOut, 1);
      assert.deepEqual(map.output, { main: [contact] });
      assert.deepEqual(run.nodes.in!.output.main, [JSON.parse(await readFile(path.join(ROOT, "examples/crm-contact.sample.json"), "utf8"))]);
      assert.equal(run.response?.status, 200);
      assert.deepEqual(run.response.body, contact);
    });

    test("order-validation --json: one accepted, two rejected with their violations", async () => {
      const r = await gate(["run", "examples/order-validation.json", "--input", "examples/order-validation.sample.json", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const run = parseRunJson(r);
      assert.equal(run.status, "success");
      assert.equal(run.response, undefined);
      assert.deepEqual(Object.keys(run.nodes).sort(), ["accepted", "check", "in", "rejected"]);
      assert.equal(run.nodes.check!.itemsIn, 3);
      assert.equal(run.nodes.check!.output.error?.length, 2);
      assert.deepEqual(run.nodes.accepted!.output.main, [{ id: "A-1", total: 19.5, currency: "EUR" }]);
      const rejected = run.nodes.rejected!;
      assert.equal(rejected.itemsIn, 2);
      assert.equal(rejected.itemsOut, 2);
      assert.equal(rejected.output.main?.length, 2);
      const [first, second] = rejected.output.main as { orderId?: string; reason: string; violations: { path: string }[] }[];
      assert.equal(first!.orderId, "");
      assert.deepEqual(first!.violations.map((v) => v.path), ["/orderId", "/amount", "/currency", "/email"]);
      assert.equal(second!.orderId, undefined);
      assert.deepEqual(second!.violations.map((v) => v.path), ["/orderId"]);
    });

    test("ticket-routing --json, payload on stdin (--input -): each ticket is an item and lands in its queue", async () => {
      const sample = await readFile(path.join(ROOT, "examples/ticket-routing.sample.json"), "utf8");
      const r = await gate(["run", "examples/ticket-routing.json", "--input", "-", "--json"], { stdin: sample });
      assert.equal(r.code, 0, r.stderr);
      const run = parseRunJson(r);
      assert.equal(run.status, "success");
      assert.equal(run.nodes.in!.itemsOut, 5);
      assert.deepEqual(run.nodes.in!.output.main, JSON.parse(sample));
      assert.deepEqual(run.nodes.urgent!.output.true?.map((t) => t.id), [2, 5]);
      const all = run.nodes.all!;
      assert.equal(all.itemsOut, 5);
      assert.deepEqual(Object.fromEntries(all.output.main!.map((t) => [t.id, t.queue])), {
        1: "billing",
        2: "on-call",
        3: "engineering",
        4: "general",
        5: "on-call",
      });
      assert.equal(run.nodes.general!.itemsIn, 1);
    });

    test("an input that is a JSON string (stdin) is refused, naming the input; exit 2", async () => {
      const r = await gate(["run", "examples/crm-contact.json", "--input", "-", "--json"], { stdin: '"hello"' });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /stdin: an input item must be a JSON object/);
      assertNoStack(r);
    });

    test("an input that is a number is refused, naming the file; exit 2", async () => {
      const r = await gate(["run", "examples/crm-contact.json", "--input", file("number.json")]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, new RegExp(`${escape(file("number.json"))}: an input item must be a JSON object`));
      assertNoStack(r);
    });

    test("a failing run: exit 1, status failed, the node's error code", async () => {
      const r = await gate(["run", file("map-failing.json"), "--input", "-", "--json"], { stdin: '{"name": "no email"}' });
      assert.equal(r.code, 1, r.stderr);
      const run = parseRunJson(r);
      assert.equal(run.status, "failed");
      assert.equal(run.error?.code, "MAPPING_FAILED");
      assert.equal(run.error.node, "map");
      assert.match(run.error.message, /email/);
      assert.equal(run.nodes.map!.status, "failed");
      assert.equal(run.nodes.map!.error?.code, "MAPPING_FAILED");
      assert.equal(run.nodes.after!.status, "skipped");
      assert.equal(run.nodes.in!.status, "success");
    });

    test("an invalid flow: exit 2 with its problems, nothing on stdout", async () => {
      const r = await gate(["run", file("invalid.json"), "--json"]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /nodes\[x\]\.type: unknown node type "map\.field"/);
      assert.match(r.stderr, /\n\d+ problems\n$/);
      assertNoStack(r);
    });

    test("human output: a row per node, then the items that came out", async () => {
      const r = await gate(["run", "examples/ticket-routing.json", "--input", "examples/ticket-routing.sample.json"]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split("\n");
      assert.match(lines[0]!, /^✔ success in \d+(\.\d)? ms$/);
      const rows: Record<string, string> = {
        in: "5 → 5",
        urgent: "5 → 5",
        pager: "2 → 2",
        topic: "3 → 3",
        billing: "1 → 1",
        tech: "1 → 1",
        general: "1 → 1",
        routine: "2 → 2",
        routed: "3 → 3",
        all: "5 → 5",
      };
      for (const [id, counts] of Object.entries(rows))
        assert.ok(
          lines.some((l) => new RegExp(`^  ${id} +success +${counts} +\\d+\\.\\d ms$`).test(l)),
          `no row for ${id} (${counts}) in:\n${r.stdout}`,
        );
      assert.match(r.stdout, /\nall → main \(5 items\):\n/);
      assert.match(r.stdout, /"queue": "on-call"/);
    });
  });

  describe("schema", { concurrency: true }, () => {
    test("gate schema: the flow format as JSON Schema", async () => {
      const r = await gate(["schema"]);
      assert.equal(r.code, 0, r.stderr);
      const schema = JSON.parse(r.stdout) as { $schema?: string; type?: string; properties?: Record<string, { type?: string }>; required?: string[] };
      assert.match(schema.$schema ?? "", /json-schema\.org/);
      assert.equal(schema.type, "object");
      assert.equal(schema.properties?.nodes?.type, "array");
      assert.ok(schema.properties?.edges);
      assert.ok(schema.required?.includes("nodes"));
    });

    test("gate schema --node map.fields: that node's config schema", async () => {
      const r = await gate(["schema", "--node", "map.fields"]);
      assert.equal(r.code, 0, r.stderr);
      const schema = JSON.parse(r.stdout) as { properties?: Record<string, { type?: string }> };
      assert.equal(schema.properties?.fields?.type, "array");
      assert.ok(schema.properties?.keepInput);
    });

    test("gate schema --node nope: exit 2", async () => {
      const r = await gate(["schema", "--node", "nope"]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /unknown node type "nope"/);
      assertNoStack(r);
    });
  });

  test("an unknown command: exit 2 with the help", async () => {
    const r = await gate(["bogus"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "bogus"/);
    assert.match(r.stderr, /Usage:/);
    for (const command of ["validate", "run", "schema", "start", "flows"]) assert.match(r.stderr, new RegExp(`gate ${command} `));
  });

  test("gate --help: exit 0, every command", async () => {
    const r = await gate(["--help"]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "");
    for (const command of ["validate", "run", "schema", "start", "flows"]) assert.match(r.stdout, new RegExp(`gate ${command} `));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
