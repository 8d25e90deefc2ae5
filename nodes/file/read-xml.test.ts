import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { offlineHost, runNode, type Item, type ItemError, type NodeHost } from "../sdk";
import read from "./read";

let dir: string;
let host: NodeHost;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gate-read-xml-"));
  host = offlineHost({ filesDir: dir });
});
after(() => rm(dir, { recursive: true, force: true }));

async function readXml(name: string, content: string, config: Record<string, unknown> = {}) {
  await writeFile(path.join(dir, name), content);
  return runNode(read, { config: { path: name, format: "xml", itemPath: "orders.order", ...config }, items: [{}], host, errorPort: false });
}

const ORDERS = `<?xml version="1.0" encoding="UTF-8"?>
<!-- an <order> inside a comment is not an order -->
<orders exported="2024-05-01">
  <meta><order>not an item: wrong depth</order></meta>
  <order id="1" note="a &gt; b &amp; c">
    <customer>Tom &amp; Jerry</customer>
    <line sku="A-1" qty="2"/>
    <memo><![CDATA[<b>bold</b> & raw]]></memo>
  </order>
  <order id="2">
    <customer>Zoë &#x263A;</customer>
    <line sku="B-2" qty="1"/>
    <line sku="C-3" qty="5"/>
  </order>
</orders>
`;

describe("file.read xml", () => {
  test("each element at the item path is an item; attributes keep an @_ prefix, values stay text", async () => {
    const { outputs } = await readXml("orders.xml", ORDERS, { arrays: ["line"] });
    assert.deepEqual(outputs.main, [
      {
        "@_id": "1",
        "@_note": "a > b & c",
        customer: "Tom & Jerry",
        line: [{ "@_sku": "A-1", "@_qty": "2" }],
        memo: "<b>bold</b> & raw",
      },
      { "@_id": "2", customer: "Zoë ☺", line: [{ "@_sku": "B-2", "@_qty": "1" }, { "@_sku": "C-3", "@_qty": "5" }] },
    ]);
  });

  test("large files stream: many elements in batches", async () => {
    const body = Array.from({ length: 3000 }, (_, i) => `<order id="${i}"><n>${i}</n></order>`).join("\n");
    const { outputs, batches } = await readXml("many.xml", `<orders>\n${body}\n</orders>`, { batchSize: 1000 });
    assert.equal(outputs.main!.length, 3000);
    assert.equal(batches, 3);
    assert.deepEqual(outputs.main![2999], { "@_id": "2999", n: "2999" });
  });

  test("an element that does not parse goes to the error port; the others are read", async () => {
    const { outputs } = await readXml("dupattr.xml", '<orders>\n<order id="1"/>\n  <order id="2" id="3"></order>\n<order id="4"/></orders>');
    assert.deepEqual(outputs.main, [{ "@_id": "1" }, { "@_id": "4" }]);
    const bad = outputs.error![0] as { error: ItemError; item: Item };
    assert.equal(bad.error.code, "XML_ELEMENT_INVALID");
    assert.deepEqual([bad.item.line, bad.item.column], [3, 17]);
  });

  test("tags that do not nest fail with the line of each", async () => {
    await assert.rejects(readXml("nest.xml", "<orders>\n<order>\n<a></b>\n</order></orders>"), /line 3, column 4: the closing tag <\/b> does not match <a> opened on line 3/);
    await assert.rejects(readXml("open.xml", "<orders>\n<order>"), /the element <order> opened on line 2 is never closed/);
    await assert.rejects(readXml("root.xml", "<shipments/>"), /the root element is <shipments>, but the item path starts with "orders"/);
  });

  test("billion laughs: a DTD is refused at once, nothing is expanded", async () => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE orders [\n${entities.join("\n")}\n]>\n<orders><order>&lol9;</order></orders>`;
    const started = performance.now();
    await assert.rejects(readXml("bomb.xml", bomb), (error: Error & { code?: string }) => {
      assert.match(error.message, /"bomb\.xml" line 2, column 1: the XML declares a DTD/);
      return true;
    });
    // Refused before any expansion: 10^9 "lol"s would take seconds and gigabytes.
    assert.ok(performance.now() - started < 2000);
  });

  test("external entities (XXE) are refused, and undeclared entities stay literal text", async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE orders [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><orders><order>&xxe;</order></orders>';
    await assert.rejects(readXml("xxe.xml", xxe), /declares a DTD/);
    const { outputs } = await readXml("literal.xml", "<orders><order>&xxe; &lol9;</order></orders>");
    assert.deepEqual(outputs.main, [{ "#text": "&xxe; &lol9;" }]);
  });
});
