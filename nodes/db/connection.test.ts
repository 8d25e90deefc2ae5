import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import BetterSqlite from "better-sqlite3";
import pg from "pg";
import { offlineHost, runNode, type Credential, type NodeHost } from "../sdk";
import { databaseError } from "./errors";
import { cachedPool, closeAllPools } from "./pool";
import query from "./query";
import { allBackends, hostFor, failureOf, uniqueName, unavailable, type Backend } from "./testing/backends";

const backends = await allBackends();
const [postgres, mysql, sqlite] = backends as [Backend, Backend, Backend & { filesDir: string }];
after(async () => {
  await closeAllPools();
  for (const backend of backends) await backend.close();
});

const select = { credential: "db", sql: "SELECT :n AS n", params: { n: 1 }, readOnly: true };
const runQuery = (credential: Credential, host: NodeHost, config: Record<string, unknown> = select) =>
  runNode(query, { config, items: [{}], credential, mode: "live", host });

/** A port that nothing listens on: bind an ephemeral port, then let it go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The same credential (same id) before and after its secret changed. MariaDB: a user whose password
 * is really rotated. PostgreSQL trusts 127.0.0.1 here, so a changed password field stands in.
 * SQLite: the credential pointed at another file.
 */
async function rotation(backend: Backend): Promise<{ before: Credential; rotated: Credential; rotate: () => Promise<void>; cleanup: () => Promise<void> }> {
  const id = uniqueName("rotating");
  const withId = (credential: Credential) => ({ ...credential, id });
  if (backend.name === "mysql") {
    const user = uniqueName("gate_rot").slice(0, 32);
    await backend.exec(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY 'First-Password-1'`);
    await backend.exec(`GRANT SELECT ON test.* TO '${user}'@'127.0.0.1'`);
    return {
      before: withId(backend.credential({ user, password: "First-Password-1" })),
      rotated: withId(backend.credential({ user, password: "Second-Password-2" })),
      rotate: async () => void (await backend.exec(`ALTER USER '${user}'@'127.0.0.1' IDENTIFIED BY 'Second-Password-2'`)),
      cleanup: async () => void (await backend.exec(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`)),
    };
  }
  if (backend.name === "postgres")
    return {
      before: withId(backend.credential({ password: "first" })),
      rotated: withId(backend.credential({ password: "second" })),
      rotate: () => Promise.resolve(),
      cleanup: () => Promise.resolve(),
    };
  new BetterSqlite(path.join(sqlite.filesDir, "rotated.sqlite")).close();
  return { before: withId(backend.credential()), rotated: withId(backend.credential({ path: "rotated.sqlite" })), rotate: () => Promise.resolve(), cleanup: () => Promise.resolve() };
}

for (const backend of backends) {
  describe(`db connection pool on ${backend.label}`, () => {
    test("two runs share one pool; a rotated credential gets a new pool and the old one is closed", async (t) => {
      if (unavailable(t, backend)) return;
      const { before, rotated, rotate, cleanup } = await rotation(backend);
      try {
        const host = hostFor(backend);
        assert.equal((await runQuery(before, host)).outputs.main?.length, 1);
        const pool = cachedPool(before.id);
        assert.ok(pool);
        await runQuery(before, host);
        assert.equal(cachedPool(before.id), pool, "the second run reused the pool");

        await rotate();
        const after = await runQuery(rotated, host);
        assert.equal(after.outputs.main?.length, 1, JSON.stringify(after.outputs.error));
        assert.notEqual(cachedPool(before.id), pool, "new secret data, new pool");
        await assert.rejects(pool.query("SELECT 1", []), "the retired pool is closed");
      } finally {
        await cleanup();
      }
    });

    test("closeAllPools closes every pool and later runs open new ones", async (t) => {
      if (unavailable(t, backend)) return;
      const credential = backend.credential();
      await runQuery(credential, hostFor(backend));
      const pool = cachedPool(credential.id)!;
      await closeAllPools();
      assert.equal(cachedPool(credential.id), undefined);
      await assert.rejects(pool.query("SELECT 1", []));
      assert.equal((await runQuery(credential, hostFor(backend))).outputs.main?.length, 1);
      assert.notEqual(cachedPool(credential.id), pool);
    });
  });
}

describe("db connections: guard and failures", () => {
  test("the SSRF guard is asked first, and its refusal stops the connection", async (t) => {
    if (unavailable(t, postgres)) return;
    const { outputs } = await runQuery(postgres.credential(), offlineHost());
    assert.equal(failureOf(outputs)?.code, "OUTBOUND_BLOCKED");
  });

  test("the socket goes to the address the guard returns, not to the name in the credential", async (t) => {
    if (unavailable(t, postgres) || unavailable(t, mysql)) return;
    const asked: string[] = [];
    const host: NodeHost = {
      ...offlineHost(),
      net: { resolve: (name, port) => (asked.push(`${name}:${port}`), Promise.resolve("127.0.0.1")) },
    };
    for (const backend of [postgres, mysql]) {
      const { outputs } = await runQuery(backend.credential({ host: "db.invalid" }), host);
      assert.equal(outputs.main?.length, 1, `${backend.name}: ${JSON.stringify(outputs.error)}`);
    }
    assert.deepEqual(asked, ["db.invalid:5432", "db.invalid:3306"]);
  });

  test("MariaDB: a wrong password is a DB_AUTH error with a hint, without the password", async (t) => {
    if (unavailable(t, mysql)) return;
    const user = uniqueName("gate_u").slice(0, 32);
    await mysql.exec(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY 'Right-Secret-4711'`);
    await mysql.exec(`GRANT SELECT ON test.* TO '${user}'@'127.0.0.1'`);
    try {
      const ok = await runQuery(mysql.credential({ user, password: "Right-Secret-4711" }), hostFor(mysql));
      assert.equal(ok.outputs.main?.length, 1, "the right password works");
      const wrong = "Wr0ng-Secret-9876";
      const { outputs } = await runQuery(mysql.credential({ user, password: wrong }), hostFor(mysql));
      const error = failureOf(outputs);
      assert.ok(error, JSON.stringify(outputs));
      assert.equal(error?.code, "DB_AUTH");
      assert.match(error.message, /refused the login: Access denied for user/);
      assert.match(String(error.hint), /check the user name and password in credential "test mysql"/);
      assert.ok(!JSON.stringify(outputs).includes(wrong), "the password appears nowhere in the output");
    } finally {
      await mysql.exec(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
    }
  });

  test("PostgreSQL: a refused login is DB_AUTH without the password (this server trusts 127.0.0.1, so an unknown role stands in)", async (t) => {
    if (unavailable(t, postgres)) return;
    const secret = "Pg-Secret-5150";
    const { outputs } = await runQuery(postgres.credential({ user: uniqueName("no_role"), password: secret }), hostFor(postgres));
    const error = failureOf(outputs);
    assert.ok(error, JSON.stringify(outputs));
    assert.equal(error?.code, "DB_AUTH");
    assert.match(error.message, /role .* does not exist/);
    assert.ok(!JSON.stringify(outputs).includes(secret));
  });

  test("a password the driver echoes back is redacted (PostgreSQL's own error type)", () => {
    const echoed = new pg.DatabaseError('password authentication failed for user "app" (tried "hunter2-long")', 0, "error");
    echoed.code = "28P01";
    const error = databaseError(echoed, { credential: "crm db", target: "db:5432", secrets: ["hunter2-long"] });
    assert.equal(error.code, "DB_AUTH");
    assert.equal(error.message, 'the database at db:5432 refused the login: password authentication failed for user "app" (tried "[redacted]")');
    assert.equal(error.cause, undefined, "the driver's object is not attached");
  });

  for (const backend of [postgres, mysql]) {
    test(`${backend.label}: connection refused on a closed port says what to check`, async (t) => {
      if (unavailable(t, backend)) return;
      const port = await closedPort();
      const { outputs } = await runQuery(backend.credential({ port, password: "Secret-Refused-1" }), hostFor(backend));
      const error = failureOf(outputs);
      assert.ok(error, JSON.stringify(outputs));
      assert.equal(error?.code, "DB_UNREACHABLE");
      assert.match(error.message, new RegExp(`cannot reach the database at 127.0.0.1:${port}`));
      assert.match(String(error.hint), new RegExp(`nothing accepts connections at 127.0.0.1:${port}: check that the database is running`));
      assert.ok(!JSON.stringify(outputs).includes("Secret-Refused-1"));
    });
  }

  test("SQLite: a missing file and a path outside the files folder are refused clearly", async () => {
    const missing = await runQuery(sqlite.credential({ path: "nope/missing.sqlite" }), hostFor(sqlite));
    assert.equal(failureOf(missing.outputs)?.code, "DB_NOT_FOUND");
    assert.match(String(failureOf(missing.outputs)?.hint), /must already exist inside the files folder/);
    const outside = await runQuery(sqlite.credential({ path: "../elsewhere.sqlite" }), hostFor(sqlite));
    assert.equal(failureOf(outside.outputs)?.code, "PATH_OUTSIDE_FILES");
  });

  test("open pools do not keep the process alive once idle", async (t) => {
    if (unavailable(t, postgres) || unavailable(t, mysql)) return;
    const script = path.join(import.meta.dirname, "testing", "idle-exit.ts");
    const started = Date.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--no-node-snapshot", "--import", "tsx", script], { timeout: 20_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      );
    });
    assert.match(stdout, /queried postgres\nqueried mysql/);
    // pg's idle timeout is 30 s and MySQL's pool has none: exiting well before means nothing held on.
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });
});
