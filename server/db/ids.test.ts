import assert from "node:assert/strict";
import { test } from "node:test";
import { timeOrderedId } from "./ids";

test("timeOrderedId: RFC 9562 version 7, ordered by time and within a millisecond, unique", () => {
  const ids = Array.from({ length: 10_000 }, () => timeOrderedId());
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  const at = Date.UTC(2030, 0, 1);
  assert.equal(Number.parseInt(timeOrderedId(at).replace("-", "").slice(0, 12), 16), at);
});

test("timeOrderedId: a clock that steps back does not break the order", () => {
  const later = timeOrderedId(Date.now() + 60_000);
  assert.ok(timeOrderedId(Date.now()) > later);
});
