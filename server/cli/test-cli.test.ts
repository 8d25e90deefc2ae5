// `gate test` and the connector examples from the shell: the real bin/gate.js in child processes,
// real flow files, a real data folder with a SQLite file and a sealed credential.
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { ROOT, gate } from "./testing";

let tmp: string;
const file = (name: string) => path.join(tmp, name);

/** The ticket-routing example with one expected queue changed: a case that must fail. */
async function mismatching(): Promise<string> {
  const doc = JSON.parse(await readFile(path.join(ROOT, "examples/ticket-routing.json"), "utf8")) as {
    tests: { cases: { expect: { all: { main: { queue: string }[] } } }[] };
  };
  doc.tests.cases[0]!.expect.all.main[2]!.queue = "finance";
  const target = file("mismatch.json");
  await writeFile(target, JSON.stringify(doc, null, 2));
  return target;
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "gate-test-cli-"));
});
after(() => rm(tmp, { recursive: true, force: true }));

describe("gate test", { concurrency: true }, () => {
  test("every example passes its saved cases; sample payloads beside them are skipped", async () => {
    const examples = (await readdir(path.join(ROOT, "examples"))).filter((f) => f.endsWith(".json")).map((f) => `examples/${f}`);
    const r = await gate(["test", ...examples]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^examples\/crm-contact\.json \(CRM contact sync\)\n {2}✓ Ada from the CRM sample\n {2}✓ defaults for missing city and newsletter$/m);
    assert.match(r.stdout, /^ {2}✓ one valid order, two rejected with every violation$/m);
    assert.match(r.stdout, /^ {2}✓ urgent first, then billing, technical and general$/m);
    assert.match(r.stdout, /^ {2}✓ rows are typed and tidied \(read pinned: no file needed\) {2}\[pinned: read\]$/m);
    assert.match(r.stdout, /^- examples\/crm-contact\.sample\.json: skipped \(not a flow document\)$/m);
    assert.match(r.stdout, /\n5 passed, 0 failed\n$/);
  });

  test("a mismatch prints the field path with both values and exits 1", async () => {
    const flow = await mismatching();
    const r = await gate(["test", flow]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      `${flow} (Support ticket routing)\n  ✗ urgent first, then billing, technical and general\n      all.main[2].queue: expected "finance", got "billing"\n0 passed, 1 failed\n`,
    );
    const json = await gate(["test", flow, "--json"]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { passed: number; failed: number; files: { cases: { passed: boolean; differences: { path: string }[] }[] }[] };
    assert.equal(report.failed, 1);
    assert.deepEqual(report.files[0]!.cases[0]!.differences.map((d) => d.path), ["all.main[2].queue"]);
  });

  test("--case runs one case; a name no flow has is a usage error", async () => {
    const one = await gate(["test", "examples/crm-contact.json", "--case", "defaults for missing city and newsletter"]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, "examples/crm-contact.json (CRM contact sync)\n  ✓ defaults for missing city and newsletter\n1 passed, 0 failed\n");
    const none = await gate(["test", "examples/crm-contact.json", "--case", "nope"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no flow has a test case named "nope"/);
  });

  test("an invalid flow, or a case that points at a missing node, exits 2 naming the path", async () => {
    await writeFile(
      file("invalid.json"),
      JSON.stringify({ schemaVersion: 1, name: "Broken", nodes: [{ id: "in", type: "trigger.manual", config: {} }, { id: "m", type: "map.field", config: {} }], edges: [{ from: "in", to: "m" }] }),
    );
    const invalid = await gate(["test", file("invalid.json")]);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /invalid\.json: nodes\[m\]\.type: unknown node type "map\.field"; did you mean "map\.fields"\?/);
    assert.match(invalid.stdout, /✗ .*invalid\.json: invalid, cases not run/);

    const doc = JSON.parse(await readFile(path.join(ROOT, "examples/crm-contact.json"), "utf8")) as { tests: { cases: { expect: Record<string, unknown> }[] } };
    doc.tests.cases[0]!.expect = { mapp: { main: [] } };
    await writeFile(file("bad-case.json"), JSON.stringify(doc));
    const badCase = await gate(["test", file("bad-case.json")]);
    assert.equal(badCase.code, 2);
    assert.match(badCase.stderr, /bad-case\.json: tests\.cases\[0\]\.expect\.mapp: there is no node "mapp" in this flow/);

    const usage = await gate(["test"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /name the flow file\(s\) to test\nusage: gate test/);
  });
});

describe("connector examples with gate run --data", { concurrency: true }, () => {
  test("csv-to-json: the sample CSV becomes typed JSON in the files folder (dry run first, then --live)", async () => {
    const data = file("json-data");
    await mkdir(path.join(data, "files"), { recursive: true });
    await copyFile(path.join(ROOT, "examples/files/contacts.csv"), path.join(data, "files/contacts.csv"));
    const env = { GATE_KEY_FILE: file("json-key"), GATE_LOG_LEVEL: "silent" };

    const dry = await gate(["run", "examples/csv-to-json.json", "--data", data, "--json"], { env });
    assert.equal(dry.code, 0, dry.stderr);
    const dryRun = JSON.parse(dry.stdout) as { nodes: Record<string, { output: { main: Record<string, unknown>[] } }> };
    assert.equal(dryRun.nodes.write!.output.main[0]!.dryRun, true);
    assert.equal(dryRun.nodes.write!.output.main[0]!.rows, 6);
    assert.deepEqual(await readdir(path.join(data, "files")), ["contacts.csv"], "a test run writes nothing");

    const live = await gate(["run", "examples/csv-to-json.json", "--data", data, "--live"], { env });
    assert.equal(live.code, 0, live.stderr);
    const written = JSON.parse(await readFile(path.join(data, "files/contacts.json"), "utf8")) as Record<string, unknown>[];
    assert.equal(written.length, 6);
    assert.deepEqual(written[0], { id: 1, name: "Ada Lovelace", email: "ada@example.com", country: "GB", signedUp: "2024-01-15T00:00:00.000Z" });
    assert.deepEqual(written[4], { id: 5, name: "(no name)", email: "linus@example.com", country: "FI", signedUp: "2024-03-09T00:00:00.000Z" });
  });

  test("csv-to-sqlite: valid rows land in the table (re-runs upsert), invalid ones in the rejects file", async () => {
    const data = file("sqlite-data");
    await mkdir(path.join(data, "files"), { recursive: true });
    await copyFile(path.join(ROOT, "examples/files/contacts.csv"), path.join(data, "files/contacts.csv"));
    // SQLite files must exist before Gate opens them (a typo must not create a database): an empty file is an empty database.
    await writeFile(path.join(data, "files/contacts.db"), "");
    await writeFile(file("local-db.json"), JSON.stringify({ path: "contacts.db" }));
    const env = { GATE_KEY_FILE: file("sqlite-key/master.key"), GATE_LOG_LEVEL: "silent" };

    const cred = await gate(["credentials", "set", "local-db", "--kind", "sqlite", "--from-file", file("local-db.json"), "--data", data], { env });
    assert.equal(cred.code, 0, cred.stderr);
    for (let run = 1; run <= 2; run++) {
      const r = await gate(["run", "examples/csv-to-sqlite.json", "--data", data, "--live", "--json"], { env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const record = JSON.parse(r.stdout) as { nodes: Record<string, { itemsIn: number; output: { main: Record<string, unknown>[] } }> };
      assert.deepEqual(record.nodes.write!.output.main, [{ table: "contacts", mode: "upsert", items: 3, statements: 1, affectedRows: 3 }], `run ${run}`);
      assert.equal(record.nodes.rejects!.itemsIn, 3);
    }
    const db = new Database(path.join(data, "files/contacts.db"), { readonly: true });
    try {
      assert.deepEqual(db.prepare("SELECT id, name, email, country, signed_up FROM contacts ORDER BY id").all(), [
        { id: 1, name: "Ada Lovelace", email: "Ada@Example.com", country: "GB", signed_up: "2024-01-15" },
        { id: 2, name: "Grace Hopper", email: "grace@example.com", country: "US", signed_up: "2024-02-01" },
        { id: 4, name: "Katherine Johnson", email: "katherine@example.com", country: "US", signed_up: "2024-03-05" },
      ]);
    } finally {
      db.close();
    }
    const rejected = (await readFile(path.join(data, "files/rejected-contacts.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { error: { code: string; details: { path: string }[] }; item: { id: string } });
    assert.deepEqual(
      rejected.map((r) => [r.item.id, r.error.code, r.error.details.map((d) => d.path)]),
      [
        ["3", "VALIDATION_FAILED", ["/email"]],
        ["5", "VALIDATION_FAILED", ["/name"]],
        ["6", "VALIDATION_FAILED", ["/country"]],
      ],
    );
  });
});
