import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { offlineHost, runNode, type Item, type ItemError, type NodeHost } from "../sdk";
import { JsonArrayScanner } from "./json-scan";
import read from "./read";

let dir: string;
let host: NodeHost;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gate-read-json-"));
  host = offlineHost({ filesDir: dir });
});
after(() => rm(dir, { recursive: true, force: true }));

async function readFile(name: string, content: string, config: Record<string, unknown>) {
  await writeFile(path.join(dir, name), content);
  return runNode(read, { config: { path: name, ...config }, items: [{}], host, errorPort: false });
}

describe("file.read json", () => {
  test("a top-level array, element by element, in batches", async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ id: i, name: `n${i}`, tags: ["a]", "{b"], nested: { q: 'say "hi"' } }));
    const { outputs, batches } = await readFile("a.json", JSON.stringify(items, null, 2), { format: "json", batchSize: 10 });
    assert.deepEqual(outputs.main, items);
    assert.equal(batches, 3);
  });

  test("values that are not objects become { value }", async () => {
    const { outputs } = await readFile("v.json", '[1, "two", null, [3], {"four": 4}]', { format: "json" });
    assert.deepEqual(outputs.main, [{ value: 1 }, { value: "two" }, { value: null }, { value: [3] }, { four: 4 }]);
  });

  test("itemsPath reaches an array inside an object, skipping other keys", async () => {
    const doc = { meta: { note: "items: [not these]", list: [{ id: 0 }] }, data: { total: 2, items: [{ id: 1 }, { id: 2 }] } };
    const { outputs } = await readFile("wrapped.json", JSON.stringify(doc), { format: "json", itemsPath: "data.items" });
    assert.deepEqual(outputs.main, [{ id: 1 }, { id: 2 }]);
  });

  test("a missing itemsPath key is named", async () => {
    await assert.rejects(
      readFile("nokey.json", '{"data": {"rows": []}}', { format: "json", itemsPath: "data.items" }),
      /the JSON has no "data\.items": "data" has no key "items"/,
    );
  });

  test("an object where an array is expected hints at itemsPath", async () => {
    await assert.rejects(readFile("obj.json", '{"items": []}', { format: "json" }), (error: Error) => {
      assert.match(error.message, /"obj\.json" line 1, column 1: the JSON does not start with an array/);
      return true;
    });
  });

  test("a broken element fails with its number, line and column", async () => {
    await assert.rejects(
      readFile("broken.json", '[\n  {"id": 1},\n  {"id": 2,}\n]', { format: "json" }),
      /"broken\.json" line 3, column 3: element 2 is not valid JSON/,
    );
    await assert.rejects(readFile("cut.json", '[{"id": 1}, {"id"', { format: "json" }), /the JSON ends inside element 2/);
  });

  test("itemsPath is only for json, and XML needs an item element (config errors name the field)", async () => {
    await assert.rejects(runNode(read, { config: { path: "x.csv", format: "csv", itemsPath: "a" }, host }), /itemsPath: the items path applies to the json format only/);
    await assert.rejects(runNode(read, { config: { path: "x.xml", format: "xml" }, host }), /itemPath: name the repeated element/);
  });
});

describe("JsonArrayScanner", () => {
  test("gives the same elements however the text is split", () => {
    const text = '{"skip": {"a": ["]", "}", {"x": "\\"]"}]}, "rows": [ {"s": "a\\\\"}, 2.5e3, true, "x,y", [] ] , "after": bad}';
    const expected = [{ s: "a\\" }, 2500, true, "x,y", []];
    for (const step of [1, 2, 3, 7, 1000]) {
      const scanner = new JsonArrayScanner(["rows"], "t.json");
      const out: unknown[] = [];
      for (let i = 0; i < text.length && !scanner.done; i += step) out.push(...scanner.push(text.slice(i, i + step)));
      scanner.end();
      assert.deepEqual(out, expected, `step ${step}`);
    }
  });
});

describe("file.read ndjson", () => {
  test("one item per line; a bad line goes to the error port with its line and position", async () => {
    const text = '{"id":1}\n\n{"id":2}\r\n{"id": 3,,}\n{"id":4}';
    const { outputs } = await readFile("lines.ndjson", text, { format: "ndjson" });
    assert.deepEqual(outputs.main, [{ id: 1 }, { id: 2 }, { id: 4 }]);
    const bad = outputs.error![0] as { error: ItemError; item: Item };
    assert.equal(outputs.error!.length, 1);
    assert.equal(bad.error.code, "NDJSON_LINE_INVALID");
    assert.equal(bad.item.line, 4);
    assert.equal(bad.item.column, 10);
    assert.equal(bad.item.raw, '{"id": 3,,}');
    assert.match(bad.error.message, /^line 4, column 10: not valid JSON/);
  });
});
