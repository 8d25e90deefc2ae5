/**
 * The files folder as people manage it: list, upload and delete the files that file nodes read and
 * write. Every path goes through the same confinement the nodes use, so an upload can never land
 * outside the folder.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { confinedFiles, type FileStore } from "../../nodes/sdk";

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** The longest path an upload may name (characters). */
export const MAX_UPLOAD_PATH = 500;

export interface FileEntry {
  path: string;
  size: number;
  modifiedAt: number;
}

export class FilesError extends Error {
  override readonly name = "FilesError";
  constructor(
    readonly code: "OUTSIDE" | "TOO_LARGE" | "NOT_FOUND",
    message: string,
  ) {
    super(message);
  }
}

export class FilesFolder {
  private readonly store: FileStore;

  constructor(root: string) {
    this.store = confinedFiles(root);
  }

  private async resolve(relative: string): Promise<string> {
    try {
      return await this.store.resolveReal(relative);
    } catch (error) {
      throw new FilesError("OUTSIDE", (error as Error).message);
    }
  }

  private entry(full: string, stat: { size: number; mtimeMs: number }): FileEntry {
    return { path: path.relative(this.store.root, full).split(path.sep).join("/"), size: stat.size, modifiedAt: Math.round(stat.mtimeMs) };
  }

  async list(): Promise<FileEntry[]> {
    const out: FileEntry[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) out.push(this.entry(full, await fs.stat(full)));
      }
    };
    await walk(this.store.root);
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Written to a temporary file and renamed: a reader never sees half an upload. */
  async upload(relative: string, content: Buffer): Promise<FileEntry> {
    if (content.length > MAX_UPLOAD_BYTES)
      throw new FilesError("TOO_LARGE", `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB; copy big files into the files folder directly`);
    const full = await this.resolve(relative);
    await fs.mkdir(path.dirname(full), { recursive: true });
    const tmp = `${full}.${process.pid}.upload`;
    await fs.writeFile(tmp, content);
    await fs.rename(tmp, full);
    return this.entry(full, await fs.stat(full));
  }

  async remove(relative: string): Promise<void> {
    const full = await this.resolve(relative);
    await fs.unlink(full).catch(() => {
      throw new FilesError("NOT_FOUND", `no file "${relative}" in the files folder`);
    });
  }
}
