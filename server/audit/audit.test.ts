import assert from "node:assert/strict";
import { test } from "node:test";
import { openMemoryDatabase } from "../db/client";
import { AuditLog, auditedUse } from "./audit";

test("repeated failures from one address raise one suspicious entry per window; other addresses do not count", () => {
  const audit = new AuditLog(openMemoryDatabase(), [{ action: "webhook.signature", threshold: 3, windowMs: 60_000 }]);
  const fail = (ip: string, at: number) => audit.record({ actor: "anonymous", action: "webhook.signature", target: "/hooks/x", outcome: "failed", sourceIp: ip }, at);
  fail("10.0.0.1", 1000);
  fail("10.0.0.2", 1001);
  fail("10.0.0.1", 1002);
  assert.equal(audit.list({ limit: 50, outcome: "suspicious" }).items.length, 0);
  fail("10.0.0.1", 1003);
  fail("10.0.0.1", 1004);
  const suspicious = audit.list({ limit: 50, outcome: "suspicious" }).items;
  assert.equal(suspicious.length, 1);
  assert.equal(suspicious[0]!.action, "suspicious:webhook.signature");
  assert.equal(suspicious[0]!.sourceIp, "10.0.0.1");
  assert.deepEqual(suspicious[0]!.detail, { failures: 3, windowMinutes: 1 });
  for (let i = 0; i < 3; i++) fail("10.0.0.1", 200_000 + i);
  assert.equal(audit.list({ limit: 50, outcome: "suspicious" }).items.length, 2, "a new window raises a new entry");
});

test("credential use is audited at most once an hour per credential", async () => {
  const audit = new AuditLog(openMemoryDatabase());
  let clock = 0;
  const resolver = auditedUse({ resolve: (name) => Promise.resolve({ id: `id-${name}`, name, kind: "bearer", data: { token: "t" } }) }, audit, () => clock);
  await resolver.resolve("a");
  await resolver.resolve("a");
  await resolver.resolve("b");
  clock = 3600_000;
  await resolver.resolve("a");
  const uses = audit.list({ limit: 50, action: "credential.use" }).items.map((e) => e.target);
  assert.deepEqual(uses.sort(), ["a", "a", "b"]);
  assert.ok(!JSON.stringify(audit.list({ limit: 50 })).includes('"t"'));
});
