import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { FilesFolder } from "./store";

test("uploads land in the files folder, are listed, and read back; traversal is refused", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gate-files-"));
  const files = new FilesFolder(root);
  const entry = await files.upload("in/contacts.csv", Buffer.from("name,email\nAda,ada@example.com\n"));
  assert.deepEqual({ path: entry.path, size: entry.size }, { path: "in/contacts.csv", size: 31 });
  assert.equal(fs.readFileSync(path.join(root, "in", "contacts.csv"), "utf8"), "name,email\nAda,ada@example.com\n");
  assert.deepEqual((await files.list()).map((f) => f.path), ["in/contacts.csv"]);
  for (const bad of ["../outside.csv", "/etc/passwd", "in/../../x"])
    await assert.rejects(files.upload(bad, Buffer.from("x")), /outside the files folder|invalid/, bad);
  assert.equal(fs.existsSync(path.join(path.dirname(root), "outside.csv")), false);
  await files.remove("in/contacts.csv");
  assert.deepEqual(await files.list(), []);
  await assert.rejects(files.remove("in/contacts.csv"), /no file/);
});

test("a symbolic link inside the files folder cannot carry an upload outside it", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gate-files-"));
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "gate-elsewhere-"));
  fs.symlinkSync(elsewhere, path.join(root, "escape"));
  await assert.rejects(new FilesFolder(root).upload("escape/planted.csv", Buffer.from("x")), /through a link/);
  assert.deepEqual(fs.readdirSync(elsewhere), []);
});

test("the first upload into a files folder that does not exist yet creates the folder", async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), "gate-data-"));
  const root = path.join(data, "files");
  const files = new FilesFolder(root);
  assert.deepEqual(await files.list(), []);
  const entry = await files.upload("contacts.csv", Buffer.from("name\nAda\n"));
  assert.deepEqual({ path: entry.path, size: entry.size }, { path: "contacts.csv", size: 9 });
  assert.equal(fs.readFileSync(path.join(root, "contacts.csv"), "utf8"), "name\nAda\n");
  await assert.rejects(files.upload("../beside.csv", Buffer.from("x")), /outside the files folder/);
  assert.equal(fs.existsSync(path.join(data, "beside.csv")), false);
});
