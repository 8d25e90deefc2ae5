/**
 * The master keys (key-encryption keys) of the vault, by version. They come from
 * GATE_ENCRYPTION_KEY (production) or — only for the embedded default — from a key file created on
 * first start with mode 0600 OUTSIDE the data folder, so a copied data folder or backup alone never
 * holds the key that opens it.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { VaultError } from "./errors";

export const KEY_BYTES = 32;

export interface Keyring {
  current: number;
  keys: ReadonlyMap<number, Buffer>;
  source: "env" | "file";
  /** The key file, when the keys come from one. */
  file?: string;
  /** True when the key file was created by this call (first start). */
  created?: boolean;
}

/**
 * A key is 32 bytes written as base64 or hex, optionally prefixed by its version: `2:base64…`.
 * Versions let a rotated key live beside the old one until every secret is re-encrypted.
 */
export function parseKey(text: string, where: string): { version: number; key: Buffer } {
  const match = /^(?:(\d+):)?(.+)$/s.exec(text.trim());
  const body = match?.[2] ?? "";
  const version = match?.[1] ? Number(match[1]) : 1;
  const key = /^[0-9a-f]{64}$/i.test(body) ? Buffer.from(body, "hex") : Buffer.from(body, "base64");
  if (key.length !== KEY_BYTES || version < 1)
    throw new VaultError(
      "BAD_KEY_FORMAT",
      `${where} is not a valid key: expected 32 random bytes as base64 or hex, optionally "<version>:" before it`,
      'generate one with: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64\'))"',
    );
  return { version, key };
}

const KeyFile = z.object({
  current: z.number().int().min(1),
  keys: z.record(z.string().regex(/^\d+$/), z.string()),
});

/** Where the embedded default keeps its key: under the user's config folder, one file per data folder. */
export function defaultKeyFile(dataDir: string, configHome?: string): string {
  const id = createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 12);
  const base = configHome ?? path.join(os.homedir(), ".config");
  return path.join(base, "gate", `master-${id}.key`);
}

export interface KeySources {
  /** GATE_ENCRYPTION_KEY */
  envKey?: string;
  /** GATE_ENCRYPTION_KEY_PREVIOUS: comma-separated older keys, kept readable during a rotation. */
  envPrevious?: string;
  /** GATE_KEY_FILE, or the default for the data folder. */
  keyFile: string;
  /** Create the key file when it does not exist (only `gate start` and the credentials CLI do). */
  create: boolean;
}

export function loadKeyring(sources: KeySources): Keyring {
  if (sources.envKey) {
    const keys = new Map<number, Buffer>();
    const current = parseKey(sources.envKey, "GATE_ENCRYPTION_KEY");
    for (const [i, text] of (sources.envPrevious ?? "").split(",").filter((s) => s.trim()).entries()) {
      const previous = parseKey(text, `GATE_ENCRYPTION_KEY_PREVIOUS (entry ${i + 1})`);
      keys.set(previous.version, previous.key);
    }
    keys.set(current.version, current.key);
    return { current: current.version, keys, source: "env" };
  }
  const file = sources.keyFile;
  if (!fs.existsSync(file)) {
    if (!sources.create)
      throw new VaultError("KEY_MISSING", `no master key: GATE_ENCRYPTION_KEY is not set and ${file} does not exist`, "set GATE_ENCRYPTION_KEY, or point GATE_KEY_FILE at the key file this data folder was created with");
    writeKeyFile(file, { current: 1, keys: new Map([[1, randomBytes(KEY_BYTES)]]) });
    return { ...readKeyFile(file), created: true };
  }
  return readKeyFile(file);
}

function readKeyFile(file: string): Keyring {
  let parsed;
  try {
    parsed = KeyFile.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    throw new VaultError("BAD_KEY_FORMAT", `the key file ${file} is damaged or not a Gate key file`, "restore it from your backup; without it stored credentials cannot be opened");
  }
  const keys = new Map<number, Buffer>();
  for (const [version, text] of Object.entries(parsed.keys)) keys.set(Number(version), parseKey(`${version}:${text}`, `${file} key ${version}`).key);
  if (!keys.has(parsed.current)) throw new VaultError("BAD_KEY_FORMAT", `the key file ${file} names key ${parsed.current} as current but does not hold it`);
  return { current: parsed.current, keys, source: "file", file };
}

/** Written to a temporary file first and renamed, so a crash never leaves half a key file. */
export function writeKeyFile(file: string, ring: { current: number; keys: ReadonlyMap<number, Buffer> }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const json = JSON.stringify({
    current: ring.current,
    keys: Object.fromEntries([...ring.keys].map(([v, k]) => [String(v), k.toString("base64")])),
  });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, json, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** A keyring with one more, newer key: the first step of `gate keys rotate` for a key file. */
export function withNewKey(ring: Keyring): Keyring {
  const next = Math.max(...ring.keys.keys()) + 1;
  const keys = new Map(ring.keys);
  keys.set(next, randomBytes(KEY_BYTES));
  return { ...ring, current: next, keys };
}
