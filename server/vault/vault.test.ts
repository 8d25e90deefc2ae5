import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { openDatabase, openMemoryDatabase } from "../db/client";
import { credentials } from "../db/schema";
import { VaultError } from "./errors";
import { loadKeyring, parseKey, withNewKey, type Keyring } from "./keyring";
import { Vault, generateWebhookSecret } from "./vault";

const ring = (version = 1): Keyring => ({ current: version, keys: new Map([[version, randomBytes(32)]]), source: "env" });
const SECRET = "sk_live_planted_4f8a9c2e7d1b";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as VaultError | { code?: string }).code;
  }
  return undefined;
}

test("a secret goes in and comes back out only through resolve; listings show fingerprint and last 4", () => {
  const gdb = openMemoryDatabase();
  const vault = new Vault(gdb, ring());
  const { created, credential } = vault.set("stripe", "bearer", { token: SECRET });
  assert.equal(created, true);
  assert.equal(credential.last4, SECRET.slice(-4));
  assert.match(credential.fingerprint, /^[0-9a-f]{12}$/);
  assert.ok(!JSON.stringify(vault.list()).includes(SECRET));
  const row = gdb.db.select().from(credentials).get()!;
  assert.ok(!JSON.stringify(row).includes(SECRET), "stored sealed, never in clear");
  assert.deepEqual(vault.resolve("stripe").data, { token: SECRET, requireTls: false });
  assert.deepEqual(vault.resolve(credential.id).data, { token: SECRET, requireTls: false });
  assert.ok(vault.get("stripe")!.lastUsedAt);
});

test("a short secret shows no last characters", () => {
  const vault = new Vault(openMemoryDatabase(), ring());
  assert.equal(vault.set("db", "basic", { username: "u", password: "hunter2" }).credential.last4, "");
});

test("invalid data names the field and never echoes the value", () => {
  const vault = new Vault(openMemoryDatabase(), ring());
  try {
    vault.set("k", "apiKey", { key: "", in: "cookie" });
    assert.fail("should throw");
  } catch (error) {
    assert.ok(error instanceof VaultError);
    assert.equal(error.code, "CREDENTIAL_INVALID");
    assert.match(error.message, /key:.*in:/s);
  }
  assert.equal(code(() => vault.set("k", "password", {})), "UNKNOWN_KIND");
  assert.throws(() => vault.resolve("nope"), /credential "nope" does not exist/);
});

test("a ciphertext copied into another row does not decrypt (AAD binds it to its id)", () => {
  const gdb = openMemoryDatabase();
  const vault = new Vault(gdb, ring());
  vault.set("a", "bearer", { token: "token-a-xxxxxxxx" });
  vault.set("b", "bearer", { token: "token-b-xxxxxxxx" });
  const a = gdb.db.select().from(credentials).where(eq(credentials.name, "a")).get()!;
  gdb.db.update(credentials).set({ sealed: a.sealed }).where(eq(credentials.name, "b")).run();
  assert.equal(code(() => vault.resolve("b")), "KEY_WRONG");
  assert.equal(vault.resolve("a").data.token, "token-a-xxxxxxxx");
});

test("a wrong master key stops verify with a clear error; a missing version says which", () => {
  const gdb = openMemoryDatabase();
  new Vault(gdb, ring()).set("a", "bearer", { token: SECRET });
  const wrong = new Vault(gdb, ring());
  assert.equal(code(() => wrong.verify()), "KEY_WRONG");
  const missing = new Vault(gdb, ring(7));
  try {
    missing.verify();
    assert.fail("should throw");
  } catch (error) {
    assert.equal((error as VaultError).code, "KEY_MISSING");
    assert.match((error as Error).message, /version 1/);
  }
});

test("rotation keeps the previous secret during the grace period only", () => {
  const vault = new Vault(openMemoryDatabase(), ring());
  const t0 = 1_000_000;
  vault.set("hook", "webhookSecret", { secret: "whsec_old_secret_value" }, { now: t0 });
  const first = vault.get("hook", t0)!;
  const { created, credential } = vault.set("hook", "webhookSecret", { secret: "whsec_new_secret_value" }, { now: t0 + 10, graceMs: 1000 });
  assert.equal(created, false);
  assert.notEqual(credential.fingerprint, first.fingerprint);
  assert.equal(credential.previousUntil, t0 + 1010);
  const during = vault.resolve("hook", t0 + 500);
  assert.equal(during.data.secret, "whsec_new_secret_value");
  assert.equal(during.previous?.data.secret, "whsec_old_secret_value");
  assert.equal(vault.resolve("hook", t0 + 2000).previous, undefined);
  assert.equal(code(() => vault.set("hook", "bearer", { token: "x" })), "NAME_TAKEN");
});

test("rotation policy raises a reminder; a certificate that is no PEM is refused", () => {
  const vault = new Vault(openMemoryDatabase(), ring());
  vault.set("old", "bearer", { token: "x" }, { now: 0, rotationDays: 30 });
  assert.equal(vault.get("old", 31 * 24 * 3600_000)!.rotationDue, true);
  assert.equal(vault.get("old", 29 * 24 * 3600_000)!.rotationDue, false);
  assert.equal(code(() => vault.set("cert", "clientCertificate", { cert: "not a cert", key: "k" })), "CREDENTIAL_INVALID");
});

test("master key rotation re-seals every secret under the new version; the old key is then not needed", () => {
  const gdb = openMemoryDatabase();
  const v1 = ring();
  const vault = new Vault(gdb, v1);
  vault.set("a", "bearer", { token: "aaaaaaaaaaaaaaaa" });
  vault.set("b", "basic", { username: "u", password: "pppppppppppppppp" });
  vault.set("b", "basic", { username: "u", password: "qqqqqqqqqqqqqqqq" });
  const v2 = withNewKey(v1);
  assert.equal(vault.rotateMasterKey(v2), 2);
  const onlyNew: Keyring = { current: 2, keys: new Map([[2, v2.keys.get(2)!]]), source: "env" };
  const reopened = new Vault(gdb, onlyNew);
  reopened.verify();
  assert.equal(reopened.resolve("a").data.token, "aaaaaaaaaaaaaaaa");
  assert.equal(reopened.resolve("b").previous?.data.password, "pppppppppppppppp");
  assert.ok(reopened.list().every((c) => c.keyVersion === 2));
});

test("the embedded default creates a 0600 key file outside the data folder and reuses it", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-keys-"));
  const file = path.join(dir, "config", "gate", "master.key");
  assert.equal(code(() => loadKeyring({ keyFile: file, create: false })), "KEY_MISSING");
  const first = loadKeyring({ keyFile: file, create: true });
  assert.equal(first.created, true);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const again = loadKeyring({ keyFile: file, create: false });
  assert.deepEqual(again.keys.get(1), first.keys.get(1));
  assert.equal(again.created, undefined);
  fs.writeFileSync(file, "garbage");
  assert.equal(code(() => loadKeyring({ keyFile: file, create: false })), "BAD_KEY_FORMAT");
});

test("keys from the environment: base64 or hex, versioned, previous keys readable", () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const keyring = loadKeyring({ envKey: `2:${k2.toString("base64")}`, envPrevious: k1.toString("hex"), keyFile: "/nonexistent", create: false });
  assert.equal(keyring.current, 2);
  assert.deepEqual(keyring.keys.get(1), k1);
  assert.equal(code(() => parseKey("too-short", "GATE_ENCRYPTION_KEY")), "BAD_KEY_FORMAT");
});

test("a real database file: secrets survive reopening with the same key and nothing else", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-vault-"));
  const key = ring();
  let gdb = openDatabase(dir);
  new Vault(gdb, key).set("s", "bearer", { token: SECRET });
  gdb.close();
  const raw = fs.readFileSync(path.join(dir, "gate.db"));
  assert.equal(raw.includes(Buffer.from(SECRET)), false, "the database file never holds the secret in clear");
  gdb = openDatabase(dir);
  assert.equal(new Vault(gdb, key).resolve("s").data.token, SECRET);
  gdb.close();
});

test("webhook secrets are generated in whsec_ form", () => {
  const secret = generateWebhookSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  assert.equal(Buffer.from(secret.slice(6), "base64").length, 24);
});
