import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  createNodeContext,
  executeNode,
  offlineHost,
  prepareNode,
  runNode,
  silentLogger,
  type ExpressionBindings,
  type Item,
  type NodeHost,
} from "../sdk";
import read from "./read";
import write from "./write";

let dir: string;
let host: NodeHost;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gate-write-"));
  host = offlineHost({ filesDir: dir });
});
after(() => rm(dir, { recursive: true, force: true }));

const live = (config: Record<string, unknown>, items: Item[]) => runNode(write, { config, items, host, dryRun: false, errorPort: false });
const readBack = async (config: Record<string, unknown>) =>
  (await runNode(read, { config, items: [{}], host, errorPort: false })).outputs.main ?? [];

/** Rows with awkward text: delimiters, quotes, newlines, non-ASCII, empty values. */
const ROWS = [
  { id: "1", name: "Smith, John", note: 'said "hi"\nthen left', city: "Zürich" },
  { id: "2", name: "", note: "tab\there", city: "日本" },
];

describe("file.write", () => {
  for (const format of ["csv", "json", "ndjson", "xml"] as const) {
    test(`${format}: what is written reads back as the same items`, async () => {
      const file = `round/trip.${format}`;
      const extra = format === "xml" ? { itemPath: "items.item" } : {};
      const { outputs } = await live({ path: file, format }, ROWS);
      assert.equal(outputs.main![0]!.rows, 2);
      assert.deepEqual(await readBack({ path: file, format, ...extra }), ROWS);
    });
  }

  test("json keeps types; a CSV or XML reader gets strings back (typing is the mapping's job)", async () => {
    const typed = [{ n: 1.5, ok: true, none: null, list: [1, "a"], obj: { x: 1 } }];
    await live({ path: "typed.json", format: "json" }, typed);
    assert.deepEqual(await readBack({ path: "typed.json", format: "json" }), typed);
    await live({ path: "typed.csv", format: "csv" }, typed);
    assert.deepEqual(await readBack({ path: "typed.csv", format: "csv" }), [{ n: "1.5", ok: "true", none: "", list: '[1,"a"]', obj: '{"x":1}' }]);
  });

  test("csv: cells that would run as formulas get a leading ', plain numbers do not", async () => {
    const rows = [{ a: "=HYPERLINK(\"http://x\")", b: "+1+cmd|' /C calc'!A0", c: "-2+3", d: "@SUM(A1)", e: "\tx", f: "\rx", g: "-12.50", h: -3, i: "plain" }];
    await live({ path: "inject.csv", format: "csv" }, rows);
    const [back] = await readBack({ path: "inject.csv", format: "csv" });
    assert.deepEqual(back, { a: "'=HYPERLINK(\"http://x\")", b: "'+1+cmd|' /C calc'!A0", c: "'-2+3", d: "'@SUM(A1)", e: "'\tx", f: "'\rx", g: "-12.50", h: "-3", i: "plain" });
    await live({ path: "raw.csv", format: "csv", escapeFormulas: false }, rows);
    assert.equal((await readBack({ path: "raw.csv", format: "csv" }))[0]!.a, rows[0]!.a);
  });

  test("a dry run returns path, format, row count, first rows and a preview, and writes nothing", async () => {
    const items = Array.from({ length: 15 }, (_, i) => ({ id: i, v: `=x${i}` }));
    const { outputs } = await runNode(write, { config: { path: "dry/out.csv", format: "csv" }, items, host });
    const [summary] = outputs.main!;
    assert.equal(summary!.dryRun, true);
    assert.equal(summary!.path, "dry/out.csv");
    assert.equal(summary!.format, "csv");
    assert.equal(summary!.rows, 15);
    assert.deepEqual(summary!.columns, ["id", "v"]);
    assert.deepEqual(summary!.firstRows, items.slice(0, 10));
    assert.match(summary!.preview as string, /^id,v\n0,'=x0\n1,'=x1\n/);
    assert.deepEqual(await readdir(dir).then((names) => names.filter((n) => n.startsWith("dry"))), []);
  });

  test("append: a CSV header only for a new file; new rows follow the existing header's columns", async () => {
    await live({ path: "log/a.csv", format: "csv", mode: "append" }, [{ id: "1", msg: "first" }]);
    await live({ path: "log/a.csv", format: "csv", mode: "append" }, [{ msg: "second", id: "2", extra: "dropped" }]);
    assert.equal(await readFile(path.join(dir, "log/a.csv"), "utf8"), "id,msg\n1,first\n2,second\n");
    await writeFile(path.join(dir, "log/empty.csv"), "");
    await live({ path: "log/empty.csv", format: "csv", mode: "append" }, [{ x: "1" }]);
    assert.equal(await readFile(path.join(dir, "log/empty.csv"), "utf8"), "x\n1\n");
  });

  test("append: ndjson adds lines", async () => {
    await live({ path: "a.ndjson", format: "ndjson", mode: "append" }, [{ n: 1 }]);
    await live({ path: "a.ndjson", format: "ndjson", mode: "append" }, [{ n: 2 }]);
    assert.equal(await readFile(path.join(dir, "a.ndjson"), "utf8"), '{"n":1}\n{"n":2}\n');
  });

  test("a path through an existing file is a clear error", async () => {
    await writeFile(path.join(dir, "plain.txt"), "x");
    await assert.rejects(live({ path: "plain.txt/inner.csv", format: "csv" }, [{ a: 1 }]), (error: Error) => {
      assert.match(error.message, /a part of the path "plain\.txt\/inner\.csv" is a file, not a folder/);
      return true;
    });
  });

  test("append is refused for json and xml, naming the field", async () => {
    await assert.rejects(live({ path: "x.json", format: "json", mode: "append" }, [{}]), /mode: append works for csv and ndjson/);
  });

  test("overwrite replaces the whole file and leaves no temporary file behind", async () => {
    await live({ path: "deep/er/o.json", format: "json" }, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await live({ path: "deep/er/o.json", format: "json" }, [{ n: 4 }]);
    assert.deepEqual(JSON.parse(await readFile(path.join(dir, "deep/er/o.json"), "utf8")), [{ n: 4 }]);
    assert.deepEqual(await readdir(path.join(dir, "deep/er")), ["o.json"]);
  });

  test("behind a streaming source, later batches of the same run add to the file", async () => {
    const bindings: ExpressionBindings = { execution: { id: "run-1", mode: "live" }, flow: { name: "t" } };
    const ctx = createNodeContext({ nodeId: "w", mode: "live", dryRun: false, signal: new AbortController().signal, log: silentLogger, bindings, host });
    const batches = [[{ n: "1" }, { n: "2" }], [{ n: "3" }], [{ n: "4" }]];
    for (const format of ["json", "xml", "csv", "ndjson"] as const) {
      const node = prepareNode("w", write, { path: `stream.${format}`, format });
      for (const batch of batches) await executeNode(node, { main: batch }, { ctx, credential: undefined, errorPortConnected: false });
      const back = await readBack({ path: `stream.${format}`, format, ...(format === "xml" ? { itemPath: "items.item" } : {}) });
      assert.deepEqual(back, batches.flat(), format);
    }
    // A new run replaces the file again.
    await live({ path: "stream.json", format: "json" }, [{ n: "9" }]);
    assert.deepEqual(await readBack({ path: "stream.json", format: "json" }), [{ n: "9" }]);
  });

  test("the path may be an expression, evaluated once per batch from its first item", async () => {
    await live({ path: { kind: "expr", expr: "'by-day/' & day & '.ndjson'" }, format: "ndjson" }, [{ day: "mon", v: 1 }, { day: "tue", v: 2 }]);
    assert.deepEqual(await readdir(path.join(dir, "by-day")), ["mon.ndjson"]);
    const { outputs } = await runNode(write, { config: { path: { kind: "expr", expr: "missing" }, format: "csv" }, items: [{}], host, dryRun: false });
    assert.match((outputs.error![0]!.error as { message: string }).message, /the file path must be text, but it is empty/);
  });

  test("encodings: latin1 and UTF-16 with BOM round-trip; a character latin1 cannot store is refused", async () => {
    await live({ path: "l1.csv", format: "csv", encoding: "latin1" }, [{ name: "José", city: "Zürich" }]);
    assert.deepEqual(await readFile(path.join(dir, "l1.csv")), Buffer.from("name,city\nJosé,Zürich\n", "latin1"));
    assert.deepEqual(await readBack({ path: "l1.csv", format: "csv", encoding: "latin1" }), [{ name: "José", city: "Zürich" }]);
    await live({ path: "u16.csv", format: "csv", encoding: "utf-16le" }, [{ name: "Łukasz" }]);
    assert.deepEqual([...(await readFile(path.join(dir, "u16.csv"))).subarray(0, 4)], [0xff, 0xfe, 0x6e, 0x00]);
    assert.deepEqual(await readBack({ path: "u16.csv", format: "csv" }), [{ name: "Łukasz" }]);
    await assert.rejects(live({ path: "euro.csv", format: "csv", encoding: "latin1" }, [{ price: "5 €" }]), /contains "€", which the latin1 encoding cannot store/);
  });

  test("xml: root and item element names are configurable; a key that cannot be an element name is refused", async () => {
    await live({ path: "o.xml", format: "xml", rootElement: "orders", itemElement: "order" }, [{ "@_id": "7", sku: "A&B" }]);
    const text = await readFile(path.join(dir, "o.xml"), "utf8");
    assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<orders>\n<order id="7">\n {2}<sku>A&amp;B<\/sku>\n<\/order>\n<\/orders>\n$/);
    await assert.rejects(live({ path: "bad.xml", format: "xml" }, [{ ok: 1 }, { "first name": "x" }]), /item 2: "first name" cannot be an XML element or attribute name/);
    await assert.rejects(live({ path: "bad.xml", format: "xml", rootElement: "1root" }, [{}]), /rootElement: not a valid XML element name/);
  });
});
