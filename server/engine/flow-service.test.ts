// FlowService.importFlow on a real database: validation first, versions by name, and an import
// whose activation is refused leaves nothing behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { getFlowVersion } from "../db/flows";
import { StoreError } from "../db/errors";
import { tempDb } from "../db/testing";
import { FlowService } from "./flow-service";
import type { FlowDocInput } from "./flow/schema";
import { loadDefaultRegistry } from "./registry";

const crm = JSON.parse(fs.readFileSync(new URL("../../examples/crm-contact.json", import.meta.url), "utf8")) as FlowDocInput;

test("importFlow: an invalid document is refused with every problem and stores nothing", async (t) => {
  const service = new FlowService(tempDb(t), await loadDefaultRegistry());
  const result = service.importFlow({ ...crm, nodes: [...crm.nodes, { id: "x", type: "map.field", config: {} }] }, { activate: true });
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.problems.some((p) => p.path === "nodes[x].type"));
  assert.deepEqual(service.list(), []);
});

test("importFlow: the same name again is a new version of the document as written", async (t) => {
  const service = new FlowService(tempDb(t), await loadDefaultRegistry());
  const first = service.importFlow(crm, { activate: true });
  assert.ok(first.ok);
  const changed = { ...crm, description: "second take" };
  const second = service.importFlow(changed, { activate: false });
  assert.ok(second.ok);
  assert.equal(second.flow.id, first.flow.id);
  assert.equal(second.flow.version, 2);
  assert.equal(second.flow.active, true, "an import without activate does not switch a flow off");
  assert.deepEqual(service.get(crm.name)?.doc, changed);
  assert.deepEqual(
    service.versions(first.flow.id).map((v) => [v.version, v.note]),
    [
      [2, "imported"],
      [1, "imported"],
    ],
  );
});

test("importFlow: a re-import whose activation is refused (webhook path taken) saves no version", async (t) => {
  const gdb = tempDb(t);
  const service = new FlowService(gdb, await loadDefaultRegistry());
  assert.ok(service.importFlow(crm, { activate: true }).ok);
  const twin = { ...crm, name: "Twin" };
  const off = service.importFlow(twin, { activate: false });
  assert.ok(off.ok);

  assert.throws(
    () => service.importFlow({ ...twin, description: "new" }, { activate: true }),
    (error: unknown) => error instanceof StoreError && error.code === "ROUTE_TAKEN" && error.message.includes(`"${crm.name}"`),
  );
  const stored = service.get("Twin")!;
  assert.equal(stored.version, 1);
  assert.equal(stored.active, false);
  assert.deepEqual(stored.doc, twin);
  assert.equal(getFlowVersion(gdb, stored.id, 2), undefined);
});
