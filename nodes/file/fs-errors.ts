import { NodeError } from "../sdk";

/**
 * Turn a file-system error into a NodeError a non-developer can act on. The relative path is named,
 * never the absolute one: the files folder's location is the operator's business, not the flow's.
 */
export function fileError(error: unknown, relPath: string, action: "read" | "write"): NodeError {
  if (error instanceof NodeError) return error;
  const code = (error as { code?: unknown }).code;
  const cause = error;
  switch (code) {
    case "ENOENT":
      return new NodeError(`the file "${relPath}" does not exist in the files folder`, {
        code: "FILE_NOT_FOUND",
        hint: "check the file name and folder (paths are relative to the files folder and case-sensitive)",
        cause,
      });
    case "EISDIR":
      return new NodeError(`"${relPath}" is a folder, not a file`, { code: "FILE_IS_FOLDER", hint: "name a file inside it", cause });
    case "ENOTDIR":
      return new NodeError(`a part of the path "${relPath}" is a file, not a folder`, { code: "FILE_PATH_INVALID", cause });
    case "EACCES":
    case "EPERM":
      return new NodeError(`Gate is not allowed to ${action} "${relPath}"`, {
        code: "FILE_ACCESS_DENIED",
        hint: "check the file's permissions on the server",
        cause,
      });
    case "ENOSPC":
    case "EDQUOT":
      return new NodeError(`the disk is full: "${relPath}" could not be written`, { code: "DISK_FULL", retryable: true, cause });
    default:
      return new NodeError(`could not ${action} "${relPath}": ${(error as Error).message ?? String(error)}`, {
        code: action === "read" ? "FILE_READ_FAILED" : "FILE_WRITE_FAILED",
        cause,
      });
  }
}
