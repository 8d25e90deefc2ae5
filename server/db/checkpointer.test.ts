import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startCheckpointer } from "./checkpointer";
import { DB_FILE_NAME, openDatabase } from "./client";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function freshDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-ckpt-"));
  dirs.push(dir);
  const gdb = openDatabase(dir);
  gdb.sqlite.exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  return { gdb, file: path.join(dir, DB_FILE_NAME) };
}

/** ~2 MB in 2,000 commits: twice SQLite's automatic checkpoint threshold of 1,000 pages. */
function write(gdb: ReturnType<typeof freshDb>["gdb"]) {
  const insert = gdb.sqlite.prepare("INSERT INTO blobs (body) VALUES (?)");
  for (let i = 0; i < 2000; i++) insert.run("x".repeat(1000));
}

const until = async (what: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return what();
};

describe("WAL checkpoints on their own thread", () => {
  test("the main connection stops checkpointing; the thread copies the WAL into the database file", async () => {
    const { gdb, file } = freshDb();
    const checkpointer = startCheckpointer(gdb, { intervalMs: 50 })!;
    assert.equal(gdb.sqlite.pragma("wal_autocheckpoint", { simple: true }), 0);
    const before = fs.statSync(file).size;
    write(gdb);
    // Nothing on this thread copied pages back: only the checkpoint thread can grow the file.
    assert.ok(await until(() => fs.statSync(file).size > before + 1_500_000), `the database file stayed at ${fs.statSync(file).size} bytes`);
    await checkpointer.stop();
    assert.equal(gdb.sqlite.pragma("wal_autocheckpoint", { simple: true }), 1000, "automatic checkpoints again once the thread is gone");
    assert.equal((gdb.sqlite.prepare("SELECT count(*) AS n FROM blobs").get() as { n: number }).n, 2000);
    gdb.close();
  });

  test("without it, the same writes leave the database file as it was until a checkpoint (what the test above relies on)", () => {
    const { gdb, file } = freshDb();
    gdb.sqlite.pragma("wal_autocheckpoint = 0");
    const before = fs.statSync(file).size;
    write(gdb);
    assert.equal(fs.statSync(file).size, before);
    gdb.close();
  });

  test("an in-memory database gets no thread", () => {
    assert.equal(startCheckpointer({ path: ":memory:" } as never), undefined);
  });
});
