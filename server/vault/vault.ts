/**
 * The credential store. Secrets go in through `set` and come out only through `resolve`, which the
 * engine calls while running a node; every listing returns metadata: kind, fingerprint, the last four
 * characters of the main secret, dates. Nothing here logs or returns a secret value.
 */
import { createHmac, hkdfSync, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import { eq, or } from "drizzle-orm";
import { CredentialKinds, NodeError, isCredentialKind, stableJson, type Credential, type CredentialKind } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import { credentials } from "../db/schema";
import { VaultError } from "./errors";
import type { Keyring } from "./keyring";
import { seal, sealedVersion, unseal } from "./seal";

/** The field whose last four characters identify a secret to a person; none for kinds without one short secret. */
const MAIN_SECRET: Record<CredentialKind, string | undefined> = {
  apiKey: "key",
  basic: "password",
  bearer: "token",
  oauth2ClientCredentials: "clientSecret",
  oauth2AuthorizationCode: "clientSecret",
  clientCertificate: undefined,
  webhookSecret: "secret",
  postgres: "password",
  mysql: "password",
  sqlite: undefined,
};

export const DEFAULT_GRACE_MS = 24 * 3600_000;
const EXPIRING_SOON_MS = 14 * 24 * 3600_000;

export interface CredentialSummary {
  id: string;
  name: string;
  kind: string;
  fingerprint: string;
  last4: string;
  keyVersion: number;
  createdAt: number;
  updatedAt: number;
  lastRotatedAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  rotationDays: number | null;
  /** The rotation policy's reminder: older than `rotationDays`. */
  rotationDue: boolean;
  expiringSoon: boolean;
  /** The previous secret is still accepted (rotation grace period) until this time. */
  previousUntil: number | null;
}

export interface SetOptions {
  rotationDays?: number | null;
  /** How long the replaced secret stays valid for inbound checks (default 24 h). */
  graceMs?: number;
  now?: number;
}

type Row = typeof credentials.$inferSelect;

export class Vault {
  private loaded: Keyring | undefined;
  private readonly load: () => Keyring;

  /** The keyring may be given lazily: commands that never touch a secret never need the key. */
  constructor(
    private readonly gdb: GateDb,
    keyring: Keyring | (() => Keyring),
  ) {
    this.load = typeof keyring === "function" ? keyring : () => keyring;
  }

  get keyring(): Keyring {
    return (this.loaded ??= this.load());
  }

  private get ring(): Keyring {
    return this.keyring;
  }

  /** Fail fast at start: every key version in use must be loaded and must open its secrets. */
  verify(): void {
    const seen = new Set<number>();
    for (const row of this.gdb.db.select().from(credentials).all()) {
      const version = sealedVersion(row.sealed);
      if (seen.has(version)) continue;
      seen.add(version);
      unseal(row.sealed, row.id, this.ring);
    }
  }

  list(now = Date.now()): CredentialSummary[] {
    return this.gdb.db.select().from(credentials).orderBy(credentials.name).all().map((row) => summary(row, now));
  }

  get(ref: string, now = Date.now()): CredentialSummary | undefined {
    const row = this.row(ref);
    return row ? summary(row, now) : undefined;
  }

  /** Create the credential, or rotate it when the name exists: the old secret stays valid for the grace period. */
  set(name: string, kind: string, data: unknown, options: SetOptions = {}): { created: boolean; credential: CredentialSummary } {
    if (!isCredentialKind(kind))
      throw new VaultError("UNKNOWN_KIND", `unknown credential kind "${kind}"`, `use one of: ${Object.keys(CredentialKinds).join(", ")}`);
    const existing = this.row(name);
    if (existing && existing.kind !== kind)
      throw new VaultError("NAME_TAKEN", `credential "${name}" exists with kind ${existing.kind}; delete it first to change its kind`);
    const parsed = CredentialKinds[kind].safeParse(data);
    if (!parsed.success) {
      // Paths and messages only: zod's messages never include the input value, so no secret leaks here.
      const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new VaultError("CREDENTIAL_INVALID", `credential "${name}" (${kind}) is invalid: ${problems.join("; ")}`);
    }
    const clean = parsed.data as Record<string, unknown>;
    const now = options.now ?? Date.now();
    const id = existing?.id ?? randomUUID();
    const values = {
      sealed: seal(clean, id, this.ring),
      fingerprint: this.fingerprint(clean),
      last4: last4Of(kind, clean),
      keyVersion: this.ring.current,
      expiresAt: expiryOf(kind, clean),
      updatedAt: now,
      lastRotatedAt: now,
    };
    if (existing) {
      this.gdb.db
        .update(credentials)
        .set({
          ...values,
          previousSealed: existing.sealed,
          previousUntil: now + (options.graceMs ?? DEFAULT_GRACE_MS),
          ...(options.rotationDays !== undefined ? { rotationDays: options.rotationDays } : {}),
        })
        .where(eq(credentials.id, id))
        .run();
    } else {
      this.gdb.db
        .insert(credentials)
        .values({ id, name, kind, ...values, rotationDays: options.rotationDays ?? null, createdAt: now })
        .run();
    }
    return { created: !existing, credential: summary(this.row(id)!, now) };
  }

  /**
   * Replace the data without a rotation (no grace period, no new `lastRotatedAt`): for tokens the
   * vault itself obtains, such as an OAuth refresh.
   */
  replaceData(ref: string, data: Record<string, unknown>, now = Date.now()): void {
    const row = this.row(ref);
    if (!row) throw new VaultError("NOT_FOUND", `no credential "${ref}"`);
    const kind = row.kind as CredentialKind;
    const clean = CredentialKinds[kind].parse(data) as Record<string, unknown>;
    this.gdb.db
      .update(credentials)
      .set({ sealed: seal(clean, row.id, this.ring), keyVersion: this.ring.current, expiresAt: expiryOf(kind, clean), updatedAt: now })
      .where(eq(credentials.id, row.id))
      .run();
  }

  remove(ref: string): boolean {
    const row = this.row(ref);
    if (!row) return false;
    this.gdb.db.delete(credentials).where(eq(credentials.id, row.id)).run();
    return true;
  }

  /** The engine's way in: a credential by name or id, decrypted, with the previous secret during its grace period. */
  resolve(ref: string, now = Date.now()): Credential {
    const row = this.row(ref);
    if (!row)
      throw new NodeError(`credential "${ref}" does not exist`, {
        code: "CREDENTIAL_MISSING",
        hint: "create it under Credentials (or `gate credentials set`), or pick another in the node's settings",
      });
    const credential: Credential = { id: row.id, name: row.name, kind: row.kind, data: unseal(row.sealed, row.id, this.ring) };
    if (row.previousSealed && row.previousUntil && row.previousUntil > now)
      credential.previous = { data: unseal(row.previousSealed, row.id, this.ring), until: new Date(row.previousUntil).toISOString() };
    this.gdb.db.update(credentials).set({ lastUsedAt: now }).where(eq(credentials.id, row.id)).run();
    return credential;
  }

  /**
   * Re-seal every secret under the newest key of `next` in one transaction; afterwards the older keys
   * are no longer needed. Returns how many credentials were re-encrypted.
   */
  rotateMasterKey(next: Keyring): number {
    const rows = this.gdb.db.select().from(credentials).all();
    const count = this.gdb.sqlite.transaction(() => {
      for (const row of rows) {
        const data = unseal(row.sealed, row.id, next);
        const previous = row.previousSealed ? unseal(row.previousSealed, row.id, next) : undefined;
        this.gdb.db
          .update(credentials)
          .set({
            sealed: seal(data, row.id, next),
            previousSealed: previous ? seal(previous, row.id, next) : null,
            keyVersion: next.current,
          })
          .where(eq(credentials.id, row.id))
          .run();
      }
      return rows.length;
    })();
    this.loaded = next;
    return count;
  }

  private row(ref: string): Row | undefined {
    return this.gdb.db.select().from(credentials).where(or(eq(credentials.name, ref), eq(credentials.id, ref))).get();
  }

  /**
   * A keyed hash, not a plain SHA-256: a fingerprint of a short password must not let anyone who sees
   * it test guesses offline.
   */
  private fingerprint(data: Record<string, unknown>): string {
    const master = this.ring.keys.get(this.ring.current)!;
    const key = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "gate-credential-fingerprint", 32));
    return createHmac("sha256", key).update(stableJson(data)).digest("hex").slice(0, 12);
  }
}

/** A signing secret in the Standard Webhooks form: `whsec_` + base64 of 24 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** Short secrets get no hint at all: four characters of an eight-character password is half of it. */
function last4Of(kind: CredentialKind, data: Record<string, unknown>): string {
  const field = MAIN_SECRET[kind];
  const value = field ? data[field] : undefined;
  return typeof value === "string" && value.length >= 12 ? value.slice(-4) : "";
}

function expiryOf(kind: CredentialKind, data: Record<string, unknown>): number | null {
  if (kind === "oauth2AuthorizationCode" && typeof data.expiresAt === "string") return Date.parse(data.expiresAt);
  if (kind === "clientCertificate" && typeof data.cert === "string") {
    try {
      return Date.parse(new X509Certificate(data.cert).validTo);
    } catch {
      throw new VaultError("CREDENTIAL_INVALID", "the client certificate is not a valid PEM certificate");
    }
  }
  return null;
}

function summary(row: Row, now: number): CredentialSummary {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    fingerprint: row.fingerprint,
    last4: row.last4,
    keyVersion: row.keyVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastRotatedAt: row.lastRotatedAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    rotationDays: row.rotationDays,
    rotationDue: row.rotationDays !== null && row.lastRotatedAt + row.rotationDays * 24 * 3600_000 < now,
    expiringSoon: row.expiresAt !== null && row.expiresAt - now < EXPIRING_SOON_MS,
    previousUntil: row.previousUntil !== null && row.previousUntil > now ? row.previousUntil : null,
  };
}
