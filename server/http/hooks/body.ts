import type { IncomingMessage } from "node:http";
import { Rejection } from "./rejection";

/**
 * Read the body up to `limit` bytes. A declared Content-Length over the limit is refused before a
 * byte is read; a chunked body is refused as soon as it passes the limit. Either way the rest is
 * read and dropped (up to a bound) so the sender sees the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > limit) {
    discard(req, limit);
    return Promise.reject(tooLarge(limit, `declared ${declared} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.off("end", onEnd);
        discard(req, limit);
        reject(tooLarge(limit, `more than ${limit} bytes sent`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

function tooLarge(limit: number, detail: string): Rejection {
  return new Rejection(413, `the body is larger than this endpoint's limit of ${limit} bytes (${detail})`);
}

/** Drain what the sender still sends, but not forever: past 8× the limit the connection is closed. */
function discard(req: IncomingMessage, limit: number) {
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limit * 8) req.destroy();
  });
  req.resume();
}
