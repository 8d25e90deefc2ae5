import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { NodeError, type FileStore } from "../sdk";
import { fileError } from "./fs-errors";

/** The file path a node was given: config values may come from an expression, so check the type. */
export function relativePath(value: unknown): string {
  if (typeof value === "string" && value.trim()) return value.trim();
  throw new NodeError(`the file path must be text, but it is ${value === undefined || value === "" ? "empty" : JSON.stringify(value)}`, {
    code: "PATH_INVALID",
    hint: "set the path to a file inside the files folder, e.g. imports/orders.csv",
  });
}

/**
 * `files.resolve` confines the path as written; a symbolic link inside the files folder could still
 * lead outside it, so the real location of what exists is checked too.
 */
async function confineReal(files: FileStore, existing: string, rel: string): Promise<void> {
  const [real, root] = await Promise.all([realpath(existing), realpath(files.root)]);
  if (real !== root && !real.startsWith(root + path.sep))
    throw new NodeError(`file path "${rel}" points outside the files folder (through a link)`, {
      code: "PATH_OUTSIDE_FILES",
      hint: "use a file that really is inside the files folder",
    });
}

/** The absolute path of an existing, regular file to read. */
export async function fileToRead(files: FileStore, rel: string): Promise<string> {
  const abs = files.resolve(rel);
  try {
    const info = await stat(abs);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (!info.isFile())
      throw new NodeError(`"${rel}" is not a regular file`, { code: "FILE_PATH_INVALID", hint: "name an ordinary file" });
    await confineReal(files, abs, rel);
  } catch (error) {
    throw fileError(error, rel, "read");
  }
  return abs;
}

/**
 * Check a path to write: its nearest existing folder (and the file, when it exists) must really be
 * inside the files folder.
 */
export async function checkWritable(files: FileStore, abs: string, rel: string): Promise<void> {
  let existing = abs;
  for (;;) {
    try {
      await stat(existing);
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ENOENT") throw fileError(error, rel, "write");
      const parent = path.dirname(existing);
      if (parent === existing) return;
      existing = parent;
    }
  }
  await confineReal(files, existing, rel);
}
