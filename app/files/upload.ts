import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/api/root";

export type FileRow = inferRouterOutputs<AppRouter>["files"]["list"][number];
export type UploadLimits = inferRouterOutputs<AppRouter>["files"]["limits"];

/** "31 B", "4.2 KiB", "50 MiB": sizes as the limit is worded. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Where a file lands: its own name, inside `folder` when one is given. The folder is passed on as
 * typed (apart from surrounding spaces and slashes at its end), so the server judges `..` or an
 * absolute path and its refusal is what the person reads.
 */
export function targetPath(folder: string, name: string): string {
  const dir = folder.trim().replace(/\/+$/, "");
  return dir ? `${dir}/${name}` : name;
}

/** What the browser can tell before sending: the limits the server will hold the upload to. */
export function uploadProblem(file: File, path: string, { maxUploadBytes: maxBytes, maxPathLength }: UploadLimits): string | undefined {
  if (file.size > maxBytes)
    return `${file.name} is ${formatSize(file.size)} (${file.size.toLocaleString("en")} bytes); uploads are limited to ${formatSize(maxBytes)}. Copy bigger files into the files folder on the server directly.`;
  if (path.length > maxPathLength) return `the path “${path.slice(0, 60)}…” is ${path.length} characters long; at most ${maxPathLength} are allowed.`;
  return undefined;
}

/** The file's bytes as base64, what `files.upload` takes (read by the browser, never re-encoded as text). */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error(`could not read ${file.name}: ${reader.error?.message ?? "unknown error"}`));
    reader.onload = () => {
      // readAsDataURL gives "data:<type>;base64,<bytes>".
      const url = typeof reader.result === "string" ? reader.result : "";
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.readAsDataURL(file);
  });
}
