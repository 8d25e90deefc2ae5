import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { offlineHost, runNode, type Item, type ItemError, type NodeHost } from "../sdk";
import read from "./read";

let dir: string;
let host: NodeHost;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gate-read-csv-"));
  host = offlineHost({ filesDir: dir });
});
after(() => rm(dir, { recursive: true, force: true }));

async function readCsv(name: string, content: string | Uint8Array, config: Record<string, unknown> = {}) {
  await writeFile(path.join(dir, name), content);
  return runNode(read, { config: { path: name, format: "csv", ...config }, items: [{}], host, errorPort: false });
}

describe("file.read csv", () => {
  test("quoted delimiters, quoted newlines, doubled quotes and empty fields", async () => {
    const { outputs } = await readCsv("q.csv", 'id,name,note\n1,"Smith, John","said ""hi""\nthen left"\n2,,""\n');
    assert.deepEqual(outputs.main, [
      { id: "1", name: "Smith, John", note: 'said "hi"\nthen left' },
      { id: "2", name: "", note: "" },
    ]);
    assert.equal(outputs.error, undefined);
  });

  test("a UTF-8 byte order mark is not part of the first column's name", async () => {
    const { outputs } = await readCsv("bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("città,n\nRoma,1\n")]));
    assert.deepEqual(outputs.main, [{ città: "Roma", n: "1" }]);
  });

  test("semicolon delimiter, CRLF line endings, empty lines skipped", async () => {
    const { outputs } = await readCsv("semi.csv", "a;b\r\n1;2,5\r\n\r\n3;4\r\n", { delimiter: ";" });
    assert.deepEqual(outputs.main, [{ a: "1", b: "2,5" }, { a: "3", b: "4" }]);
  });

  test("configured column names, with and without a header row", async () => {
    const renamed = await readCsv("cols.csv", "x,y\n1,2\n", { columns: ["first", "second"] });
    assert.deepEqual(renamed.outputs.main, [{ first: "1", second: "2" }]);
    const headless = await readCsv("nohead.csv", "1,2\n3,4\n", { header: false });
    assert.deepEqual(headless.outputs.main, [{ column1: "1", column2: "2" }, { column1: "3", column2: "4" }]);
  });

  test("ragged rows go to the error port naming row, line and column; the rest is read", async () => {
    const { outputs } = await readCsv("ragged.csv", 'a,b,c\n1,2,3\n"multi\nline",5\n6,7,8,9\n10,11,12\n');
    assert.deepEqual(outputs.main, [{ a: "1", b: "2", c: "3" }, { a: "10", b: "11", c: "12" }]);
    const errors = outputs.error as { error: ItemError; item: Item }[];
    assert.equal(errors.length, 2);
    assert.equal(errors[0]!.error.code, "CSV_FIELD_COUNT");
    assert.equal(errors[0]!.error.node, "node");
    assert.match(errors[0]!.error.message, /^row 2 \(line 3\), column 3: 2 field\(s\) instead of 3: column 3 \("c"\)/);
    assert.deepEqual(errors[0]!.item, {
      path: "ragged.csv",
      line: 3,
      row: 2,
      column: 3,
      message: '2 field(s) instead of 3: column 3 ("c") and after are missing',
      fields: ["multi\nline", "5"],
    });
    assert.deepEqual([errors[1]!.item.row, errors[1]!.item.line, errors[1]!.item.column], [3, 5, 4]);
  });

  test("lines are counted as an editor counts them: a CR LF ends one line, empty lines count", async () => {
    const { outputs } = await readCsv("crlf-lines.csv", 'a,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n4\r\n5,6\r\n');
    assert.deepEqual(outputs.main, [{ a: "1", b: "2" }, { a: "x\r\ny", b: "3" }, { a: "5", b: "6" }]);
    const errors = outputs.error as { item: Item }[];
    assert.deepEqual([errors[0]!.item.row, errors[0]!.item.line, errors[0]!.item.column], [3, 6, 2]);
  });

  test("records, quotes and line breaks that straddle the file's read chunks", async () => {
    // Past the reader's 64 KiB chunks: a quoted field with doubled quotes and line breaks, and a
    // CR LF, cut at every offset around a boundary; the ragged row after them names its exact line.
    for (let pad = 65_505; pad < 65_540; pad++) {
      const text = `a,b\r\n${"x".repeat(pad)},1\r\n"q""\r\nr\ns",2\r\n3\r\n4,5\r\n`;
      const { outputs } = await readCsv("straddle.csv", text);
      assert.deepEqual(outputs.main, [{ a: "x".repeat(pad), b: "1" }, { a: 'q"\r\nr\ns', b: "2" }, { a: "4", b: "5" }], String(pad));
      const errors = outputs.error as { item: Item }[];
      assert.deepEqual([errors[0]!.item.row, errors[0]!.item.line], [3, 6], String(pad));
    }
  });

  test("repeated values are read exactly, whether a column repeats or not", async () => {
    // Columns whose values repeat share one string per value; the others are left alone after a
    // trial. Either way every item holds exactly its row's text.
    const expected: Record<string, string>[] = [];
    for (let i = 0; i < 3000; i++)
      expected.push({ id: String(i), status: ["new", "paid", "", "new "][i % 4]!, mixed: i < 1500 ? "same" : `v${i}`, long: "x".repeat(40 + (i % 2)) });
    const text = `id,status,mixed,long\n${expected.map((e) => `${e.id},${e.status},${e.mixed},${e.long}`).join("\n")}\n`;
    const { outputs } = await readCsv("repeated.csv", text, { batchSize: 3000 });
    assert.deepEqual(outputs.main, expected);
  });

  test("badRecords: fail stops at the first bad row with its position", async () => {
    await assert.rejects(readCsv("ragged2.csv", "a,b\n1,2\n3\n", { badRecords: "fail" }), (error: Error) => {
      assert.match(error.message, /"ragged2\.csv" row 2 \(line 3\), column 2: 1 field\(s\) instead of 2/);
      return true;
    });
  });

  test("too many bad rows stop the read: the settings do not fit the file", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i};x`).join("\n");
    await assert.rejects(readCsv("wrongdelim.csv", `a,b\n${rows}\n`, { maxBadRecords: 5 }), /more than 5 records that cannot be read/);
  });

  test("an unclosed quote ends the read with the line where its row starts", async () => {
    await assert.rejects(readCsv("unclosed.csv", 'a,b\n1,2\n3,"never closed\n4,5\n'), (error: Error & { code?: string }) => {
      assert.equal((error as { error?: { code: string } }).error?.code ?? error.code, "CSV_MALFORMED");
      assert.match(error.message, /"unclosed\.csv" line 3: the row starting here opens a quote that is never closed/);
      return true;
    });
  });

  test("text after a closing quote is a fatal error naming line and column", async () => {
    await assert.rejects(readCsv("badquote.csv", 'a,b\n1,"x"y\n'), /"badquote\.csv" line 2, column 2: a quoted field is followed by text/);
  });

  test("a duplicated header name is refused", async () => {
    await assert.rejects(readCsv("dup.csv", "a,b,a\n1,2,3\n"), /the header names "a" twice \(columns 1 and 3\)/);
  });

  test("Latin-1 and Windows-1252 files", async () => {
    const latin = await readCsv("latin1.csv", iconv.encode("name,city\nJosé,Zürich\n", "latin1"), { encoding: "latin1" });
    assert.deepEqual(latin.outputs.main, [{ name: "José", city: "Zürich" }]);
    const cp1252 = await readCsv("cp1252.csv", iconv.encode("item,price\nCafé,5 €\n", "win1252"), { encoding: "windows-1252" });
    assert.deepEqual(cp1252.outputs.main, [{ item: "Café", price: "5 €" }]);
  });

  test("UTF-16 LE and BE files are recognised by their byte order mark", async () => {
    const text = "name,note\nŁukasz,日本\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [["le.csv", le], ["be.csv", be]] as const) {
      const { outputs } = await readCsv(name, bytes);
      assert.deepEqual(outputs.main, [{ name: "Łukasz", note: "日本" }], name);
    }
  });

  test("a file that is not valid UTF-8 fails naming the line and suggesting an encoding", async () => {
    await assert.rejects(readCsv("notutf8.csv", Buffer.concat([Buffer.from("a,b\n1,2\n"), iconv.encode("3,Müller\n", "latin1")])), (error: Error) => {
      assert.match(error.message, /line 3 of "notutf8\.csv" is not valid UTF-8 text/);
      return true;
    });
  });

  test("a missing file is a clear error that can go to the error port", async () => {
    const { outputs } = await runNode(read, { config: { path: "nope.csv", format: "csv" }, items: [{ trigger: 1 }], host });
    const failed = outputs.error![0] as { error: ItemError; item: Item };
    assert.equal(failed.error.code, "FILE_NOT_FOUND");
    assert.match(failed.error.message, /the file "nope\.csv" does not exist in the files folder/);
    assert.deepEqual(failed.item, { trigger: 1 });
  });

  test("the path may be an expression on the incoming item", async () => {
    await writeFile(path.join(dir, "day-7.csv"), "a\n1\n");
    const { outputs } = await runNode(read, {
      config: { path: { kind: "expr", expr: "'day-' & day & '.csv'" }, format: "csv" },
      items: [{ day: 7 }],
      host,
    });
    assert.deepEqual(outputs.main, [{ a: "1" }]);
  });

  test("a cancelled run stops reading between batches", async () => {
    await writeFile(path.join(dir, "cancel.csv"), `n\n${Array.from({ length: 5000 }, (_, i) => i).join("\n")}\n`);
    const { executeNode, prepareNode, createNodeContext, silentLogger } = await import("../sdk");
    const controller = new AbortController();
    const ctx = createNodeContext({
      nodeId: "c",
      mode: "test",
      dryRun: false,
      signal: controller.signal,
      log: silentLogger,
      bindings: { execution: { id: "t", mode: "test" }, flow: { name: "t" } },
      host,
    });
    const node = prepareNode("c", read, { path: "cancel.csv", format: "csv", batchSize: 100 });
    const outcome = await executeNode(node, { main: [{}] }, { ctx, credential: undefined, errorPortConnected: false });
    assert.equal(outcome.kind, "stream");
    if (outcome.kind !== "stream") return;
    let seen = 0;
    await assert.rejects(async () => {
      for await (const batch of outcome.batches) {
        seen += batch.main?.length ?? 0;
        controller.abort(new Error("cancelled by test"));
      }
    }, /cancelled by test/);
    assert.equal(seen, 100);
  });

  test("a 200k-row file streams in batches with every row read", async () => {
    const rows = 200_000;
    const lines = ["id,name,amount"];
    for (let i = 1; i <= rows; i++) lines.push(`${i},"name ${i}",${(i % 997) * 1.5}`);
    await writeFile(path.join(dir, "big.csv"), `${lines.join("\n")}\n`);
    let count = 0;
    let batches = 0;
    let largest = 0;
    let last: Item | undefined;
    // Counted batch by batch, as the interpreter consumes a source, rather than collected.
    const { executeNode, prepareNode, createNodeContext, silentLogger } = await import("../sdk");
    const node = prepareNode("big", read, { path: "big.csv", format: "csv", batchSize: 5000 });
    const ctx = createNodeContext({
      nodeId: "big",
      mode: "test",
      dryRun: false,
      signal: new AbortController().signal,
      log: silentLogger,
      bindings: { execution: { id: "t", mode: "test" }, flow: { name: "t" } },
      host,
    });
    const outcome = await executeNode(node, { main: [{}] }, { ctx, credential: undefined, errorPortConnected: false });
    assert.equal(outcome.kind, "stream");
    if (outcome.kind !== "stream") return;
    for await (const batch of outcome.batches) {
      batches++;
      const main = batch.main ?? [];
      count += main.length;
      largest = Math.max(largest, main.length);
      last = main.at(-1);
      assert.equal(batch.error, undefined);
    }
    assert.equal(count, rows);
    assert.equal(batches, rows / 5000);
    assert.equal(largest, 5000);
    assert.deepEqual(last, { id: "200000", name: "name 200000", amount: String((200_000 % 997) * 1.5) });
  });
});
