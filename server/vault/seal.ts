/**
 * Envelope encryption with AES-256-GCM from node:crypto (OpenSSL; no library does this better).
 * Each sealing draws a fresh data key; the secret is encrypted with the data key and the data key is
 * wrapped with the master key of the current version. Both use a random 96-bit nonce and the
 * additional authenticated data `gate:<credential id>:<key version>:<part>`, so a ciphertext copied
 * into another row, or relabelled with another key version, fails authentication instead of
 * decrypting. Rotating the master key re-wraps (and re-seals) every secret under the new version.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { z } from "zod";
import { VaultError } from "./errors";
import type { Keyring } from "./keyring";

const NONCE_BYTES = 12;

const Box = z.object({ n: z.string(), c: z.string(), t: z.string() });
const Sealed = z.object({ v: z.literal(1), kv: z.number().int(), dek: Box, data: Box });
type Box = z.infer<typeof Box>;

function aad(id: string, version: number, part: "dek" | "data"): Buffer {
  return Buffer.from(`gate:${id}:${version}:${part}`);
}

function encrypt(key: Buffer, plain: Buffer, ad: Buffer): Box {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(ad);
  const c = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { n: nonce.toString("base64"), c: c.toString("base64"), t: cipher.getAuthTag().toString("base64") };
}

function decrypt(key: Buffer, box: Box, ad: Buffer): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(box.n, "base64"));
  decipher.setAAD(ad);
  decipher.setAuthTag(Buffer.from(box.t, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(box.c, "base64")), decipher.final()]);
}

export function seal(data: Record<string, unknown>, id: string, ring: Keyring): string {
  const master = ring.keys.get(ring.current);
  if (!master) throw new VaultError("KEY_MISSING", `master key version ${ring.current} is not loaded`);
  const dataKey = randomBytes(32);
  const sealed = {
    v: 1 as const,
    kv: ring.current,
    dek: encrypt(master, dataKey, aad(id, ring.current, "dek")),
    data: encrypt(dataKey, Buffer.from(JSON.stringify(data)), aad(id, ring.current, "data")),
  };
  dataKey.fill(0);
  return JSON.stringify(sealed);
}

/** The key version a sealed value was made with (without decrypting it). */
export function sealedVersion(text: string): number {
  return parse(text).kv;
}

function parse(text: string) {
  const result = Sealed.safeParse(JSON.parse(text));
  if (!result.success) throw new VaultError("KEY_WRONG", "a stored credential is damaged (not a sealed value)");
  return result.data;
}

export function unseal(text: string, id: string, ring: Keyring): Record<string, unknown> {
  const sealed = parse(text);
  const master = ring.keys.get(sealed.kv);
  if (!master)
    throw new VaultError(
      "KEY_MISSING",
      `credentials are sealed with master key version ${sealed.kv}, which is not loaded`,
      "set GATE_ENCRYPTION_KEY (or GATE_ENCRYPTION_KEY_PREVIOUS during a rotation) to the key this data folder was sealed with",
    );
  let dataKey: Buffer;
  try {
    dataKey = decrypt(master, sealed.dek, aad(id, sealed.kv, "dek"));
  } catch {
    throw new VaultError("KEY_WRONG", `master key version ${sealed.kv} does not open the stored credentials (wrong key, or a value moved between rows)`, "check GATE_ENCRYPTION_KEY; Gate never serves secrets it cannot authenticate");
  }
  try {
    return JSON.parse(decrypt(dataKey, sealed.data, aad(id, sealed.kv, "data")).toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new VaultError("KEY_WRONG", "a stored credential failed authentication (tampered or moved between rows)");
  } finally {
    dataKey.fill(0);
  }
}
