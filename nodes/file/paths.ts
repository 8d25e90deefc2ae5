import { stat } from "node:fs/promises";
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

/** The absolute path of an existing, regular file to read. */
export async function fileToRead(files: FileStore, rel: string): Promise<string> {
  const abs = files.resolve(rel);
  try {
    await files.resolveReal(rel);
    const info = await stat(abs);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (!info.isFile())
      throw new NodeError(`"${rel}" is not a regular file`, { code: "FILE_PATH_INVALID", hint: "name an ordinary file" });
  } catch (error) {
    throw fileError(error, rel, "read");
  }
  return abs;
}

/** Check a path to write: what exists of it (the file, or its nearest folder) must really be inside the files folder. */
export async function checkWritable(files: FileStore, rel: string): Promise<void> {
  try {
    await files.resolveReal(rel);
  } catch (error) {
    throw fileError(error, rel, "write");
  }
}
