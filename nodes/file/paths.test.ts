import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { offlineHost, runNode, type ItemError, type NodeHost } from "../sdk";
import read from "./read";
import write from "./write";

let root: string;
let dir: string;
let outside: string;
let host: NodeHost;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "gate-paths-"));
  dir = path.join(root, "files");
  outside = path.join(root, "outside");
  await mkdir(dir);
  await mkdir(outside);
  await writeFile(path.join(outside, "secret.csv"), "a\nsecret\n");
  host = offlineHost({ filesDir: dir });
});
after(() => rm(root, { recursive: true, force: true }));

const codeOf = async (run: Promise<unknown>) => {
  try {
    await run;
  } catch (error) {
    return (error as { error?: ItemError }).error?.code ?? (error as { code?: string }).code;
  }
  return "no error";
};

describe("file paths stay inside the files folder", () => {
  for (const bad of ["../outside/secret.csv", "/etc/passwd", "sub/../../outside/secret.csv"]) {
    test(`read refuses ${bad}`, async () => {
      const run = runNode(read, { config: { path: bad, format: "csv" }, items: [{}], host, errorPort: false });
      assert.equal(await codeOf(run), "PATH_OUTSIDE_FILES");
    });
    test(`write refuses ${bad}, also in a dry run`, async () => {
      for (const dryRun of [false, true]) {
        const run = runNode(write, { config: { path: bad, format: "csv" }, items: [{ a: 1 }], host, dryRun, errorPort: false });
        assert.equal(await codeOf(run), "PATH_OUTSIDE_FILES");
      }
    });
  }

  test("a refused path says what to do, without a stack trace", async () => {
    await assert.rejects(runNode(read, { config: { path: "../x", format: "csv" }, items: [{}], host, errorPort: false }), (error: Error) => {
      assert.match(error.message, /file path "\.\.\/x" points outside the files folder/);
      return true;
    });
  });

  test("a symbolic link inside the folder that leads outside is refused for reading and writing", async () => {
    await symlink(path.join(outside, "secret.csv"), path.join(dir, "link.csv"));
    await symlink(outside, path.join(dir, "linkdir"));
    const readRun = runNode(read, { config: { path: "link.csv", format: "csv" }, items: [{}], host, errorPort: false });
    assert.equal(await codeOf(readRun), "PATH_OUTSIDE_FILES");
    const writeRun = runNode(write, { config: { path: "linkdir/new.csv", format: "csv" }, items: [{ a: 1 }], host, dryRun: false, errorPort: false });
    assert.equal(await codeOf(writeRun), "PATH_OUTSIDE_FILES");
    assert.deepEqual(await readdir(outside), ["secret.csv"]);
  });

  test("the first write creates a files folder that does not exist yet (a fresh data folder)", async () => {
    const fresh = path.join(root, "fresh-files");
    const run = runNode(write, { config: { path: "out/first.csv", format: "csv" }, items: [{ a: 1 }], host: offlineHost({ filesDir: fresh }), dryRun: false, errorPort: false });
    assert.equal(await codeOf(run), "no error");
    assert.deepEqual(await readdir(path.join(fresh, "out")), ["first.csv"]);
  });

  test("a folder is not a file", async () => {
    await mkdir(path.join(dir, "folder"));
    const run = runNode(read, { config: { path: "folder", format: "csv" }, items: [{}], host, errorPort: false });
    assert.equal(await codeOf(run), "FILE_IS_FOLDER");
  });
});
