import { randomFillSync } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const pool = new Uint8Array(16 * 256);
let offset = pool.length;
let lastMs = 0;
let sequence = 0;

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter that
 * keeps the ids made in one millisecond in order, then 62 random bits.
 *
 * Why not crypto.randomUUID: event and execution ids are primary keys (and lead other keys).
 * Random v4 ids land on a random page of each such index, so every row dirties pages of its own
 * and every commit writes all of them to the WAL (about 26 KB per respond-mode webhook, against
 * 17 KB with these). Ids that grow with time append to the right-most pages, which the rows of
 * one commit then share.
 */
export function timeOrderedId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    // More than 4096 ids in one millisecond: borrow the next one rather than lose the order.
    lastMs++;
    sequence = 0;
  }
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = pool.subarray(offset, (offset += 16));
  const high = Math.floor(lastMs / 0x10000);
  const low = lastMs % 0x10000;
  const hex = (byte: number) => HEX[byte & 0xff]!;
  return (
    hex(high >>> 24) + hex(high >>> 16) + hex(high >>> 8) + hex(high) + "-" +
    hex(low >>> 8) + hex(low) + "-" +
    hex(0x70 | (sequence >>> 8)) + hex(sequence) + "-" +
    hex(0x80 | (r[0]! & 0x3f)) + hex(r[1]!) + "-" +
    hex(r[2]!) + hex(r[3]!) + hex(r[4]!) + hex(r[5]!) + hex(r[6]!) + hex(r[7]!)
  );
}
