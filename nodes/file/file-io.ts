import { randomUUID } from "node:crypto";
import { appendFile, mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { NodeError } from "../sdk";
import { fileError } from "./fs-errors";

/**
 * Replace a file in one step: write a temporary file beside it, flush it to disk, then rename it
 * over the old one. A reader sees the old file or the new one, never half of it; a crash leaves at
 * worst a stray `.tmp` file, never a truncated target.
 */
export async function replaceAtomically(abs: string, rel: string, bytes: Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(abs), `.${path.basename(abs)}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await mkdir(path.dirname(abs), { recursive: true });
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, abs);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw fileError(error, rel, "write");
  }
}

/** Size of a file, 0 when it does not exist. */
export async function sizeOf(abs: string, rel: string): Promise<number> {
  try {
    const info = await stat(abs);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    return info.size;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return 0;
    throw fileError(error, rel, "write");
  }
}

export async function appendBytes(abs: string, rel: string, bytes: Uint8Array): Promise<void> {
  try {
    await mkdir(path.dirname(abs), { recursive: true });
    await appendFile(abs, bytes);
  } catch (error) {
    throw fileError(error, rel, "write");
  }
}

/**
 * Continue a file this run wrote: cut its closing text (a JSON array's `]`, an XML root's end tag),
 * checked byte for byte, and write the next items followed by the closing text again.
 */
export async function replaceTail(abs: string, rel: string, tail: Uint8Array, bytes: Uint8Array): Promise<void> {
  let handle;
  try {
    handle = await open(abs, "r+");
    const { size } = await handle.stat();
    const found = new Uint8Array(tail.length);
    if (size >= tail.length) await handle.read(found, 0, tail.length, size - tail.length);
    if (size < tail.length || Buffer.compare(found, tail) !== 0)
      throw new NodeError(`"${rel}" was changed by something else while this run was writing it`, {
        code: "FILE_CHANGED",
        hint: "make sure no other flow or program writes the same file at the same time",
      });
    await handle.truncate(size - tail.length);
    await handle.write(bytes, 0, bytes.length, size - tail.length);
    await handle.sync();
  } catch (error) {
    throw fileError(error, rel, "write");
  } finally {
    await handle?.close();
  }
}
