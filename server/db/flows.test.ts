import assert from "node:assert/strict";
import { test } from "node:test";
import { StoreError } from "./errors";
import { finishExecution, startExecution } from "./executions";
import {
  createFlow,
  deleteFlow,
  findWebhookRoute,
  getFlow,
  getFlowVersion,
  listFlows,
  listVersions,
  renameFlow,
  saveFlowVersion,
  setFlowActive,
} from "./flows";
import { flowDoc, tempDb } from "./testing";

const storeError = (code: StoreError["code"], message: RegExp) => (error: unknown) =>
  error instanceof StoreError && error.code === code && message.test(error.message);

test("flows: create, version, get, list, rename, delete", (t) => {
  const gdb = tempDb(t);
  const created = createFlow(gdb, flowDoc("Orders"));
  assert.equal(created.version, 1);
  assert.equal(created.active, false);
  assert.deepEqual(getFlow(gdb, created.id), created);
  assert.deepEqual(getFlow(gdb, "Orders"), created, "found by name too");
  assert.equal(getFlow(gdb, "nope"), undefined);

  const v2 = saveFlowVersion(gdb, created.id, { ...flowDoc("Orders v2"), description: "second" }, "added a description");
  assert.equal(v2, 2);
  const current = getFlow(gdb, created.id)!;
  assert.equal(current.name, "Orders v2", "the name follows the document");
  assert.equal(current.doc.description, "second");
  assert.ok(current.updatedAt >= created.updatedAt);
  assert.deepEqual(
    listVersions(gdb, created.id).map((v) => [v.version, v.note]),
    [
      [2, "added a description"],
      [1, null],
    ],
  );
  assert.equal(getFlowVersion(gdb, created.id, 1)?.doc.name, "Orders");
  assert.equal(getFlowVersion(gdb, created.id, 3), undefined);

  assert.equal(renameFlow(gdb, created.id, "Orders sync"), 3);
  assert.equal(renameFlow(gdb, created.id, "Orders sync"), 3, "same name: no new version");
  assert.equal(getFlow(gdb, "Orders sync")?.doc.name, "Orders sync");
  assert.equal(getFlow(gdb, "Orders sync")?.doc.description, "second", "rename keeps the rest of the document");
  assert.equal(listVersions(gdb, created.id)[0]?.note, 'renamed from "Orders v2"');

  const other = createFlow(gdb, flowDoc("Another"));
  const runId = startExecution(gdb, { flowId: other.id, flowVersion: 1, mode: "live" });
  finishExecution(gdb, runId, { status: "failed", startedAt: new Date().toISOString(), durationMs: 3, nodes: {} });
  const listed = listFlows(gdb);
  assert.deepEqual(
    listed.map((f) => [f.name, f.version, f.lastExecution?.status]),
    [
      ["Another", 1, "failed"],
      ["Orders sync", 3, undefined],
    ],
  );
  assert.equal(listed[0]?.lastExecution?.id, runId);

  assert.equal(deleteFlow(gdb, other.id), true);
  assert.equal(deleteFlow(gdb, other.id), false);
  assert.equal(gdb.sqlite.prepare("SELECT count(*) FROM executions").pluck().get(), 0, "executions cascade");
  assert.equal(gdb.sqlite.prepare("SELECT count(*) FROM flow_versions WHERE flow_id = ?").pluck().get(other.id), 0);
  assert.throws(() => saveFlowVersion(gdb, other.id, flowDoc("gone")), storeError("NOT_FOUND", /no flow with id/));
});

test("flows: a duplicate name is refused with a clear error, and nothing is written", (t) => {
  const gdb = tempDb(t);
  createFlow(gdb, flowDoc("CRM sync"));
  const second = createFlow(gdb, flowDoc("Other"));
  assert.throws(() => createFlow(gdb, flowDoc("CRM sync")), storeError("NAME_TAKEN", /^a flow named "CRM sync" already exists$/));
  assert.throws(() => saveFlowVersion(gdb, second.id, flowDoc("CRM sync")), storeError("NAME_TAKEN", /"CRM sync"/));
  assert.throws(() => renameFlow(gdb, second.id, "CRM sync"), storeError("NAME_TAKEN", /"CRM sync"/));
  assert.equal(getFlow(gdb, second.id)?.version, 1);
  assert.equal(listFlows(gdb).length, 2);
});

test("webhook routes follow active flows; a taken path names the other flow", (t) => {
  const gdb = tempDb(t);
  const a = createFlow(gdb, flowDoc("Contacts A", { webhook: "crm/contacts" }), { active: true });
  assert.deepEqual(findWebhookRoute(gdb, "post", "/crm/contacts/"), { flowId: a.id, version: 1, nodeId: "in" });
  assert.equal(findWebhookRoute(gdb, "GET", "crm/contacts"), undefined, "the default method is POST");

  const b = createFlow(gdb, flowDoc("Contacts B", { webhook: "crm/contacts" }));
  assert.equal(findWebhookRoute(gdb, "POST", "crm/contacts")?.flowId, a.id, "an inactive flow claims nothing");
  assert.throws(() => setFlowActive(gdb, b.id, true), storeError("ROUTE_TAKEN", /POST \/hooks\/crm\/contacts is already used by the active flow "Contacts A"/));
  assert.equal(getFlow(gdb, b.id)?.active, false, "the refused activation left the flow off");
  assert.throws(
    () => createFlow(gdb, flowDoc("Contacts C", { webhook: "crm/contacts" }), { active: true }),
    storeError("ROUTE_TAKEN", /"Contacts A"/),
  );
  assert.equal(getFlow(gdb, "Contacts C"), undefined, "the refused create rolled back");

  // Same path, another method: no conflict.
  const c = createFlow(gdb, flowDoc("Contacts PUT", { webhook: "crm/contacts", method: "PUT" }), { active: true });
  assert.equal(findWebhookRoute(gdb, "PUT", "crm/contacts")?.flowId, c.id);

  // Saving an active flow moves its routes; saving onto a taken path is refused as a whole.
  assert.equal(saveFlowVersion(gdb, a.id, flowDoc("Contacts A", { webhook: "crm/people" })), 2);
  assert.deepEqual(findWebhookRoute(gdb, "POST", "crm/people"), { flowId: a.id, version: 2, nodeId: "in" });
  assert.equal(findWebhookRoute(gdb, "POST", "crm/contacts"), undefined);
  assert.throws(() => saveFlowVersion(gdb, c.id, flowDoc("Contacts PUT", { webhook: "crm/people" })), storeError("ROUTE_TAKEN", /"Contacts A"/));
  assert.equal(getFlow(gdb, c.id)?.version, 1);

  setFlowActive(gdb, b.id, true);
  assert.equal(findWebhookRoute(gdb, "POST", "crm/contacts")?.flowId, b.id);
  setFlowActive(gdb, a.id, false);
  assert.equal(findWebhookRoute(gdb, "POST", "crm/people"), undefined, "deactivating frees the route");
});
