/**
 * The `keys` command (scripts/keys.ts), run as a real process on a temporary database: what it
 * prints, its exit codes, and that its keys work (and stop working) for an authenticator on stores
 * that keep the same file open, data lock included, as a running server does.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ApiKeyAuthenticator } from "../../src/auth/api-keys.ts";
import { ApiError } from "../../src/http/errors.ts";
import type { ApiKeyRecord } from "../../src/stores/api-keys.ts";
import { lockDatabase } from "../../src/stores/sqlite/files/data-lock.ts";
import { openSqliteStores } from "../../src/stores/sqlite/index.ts";
import { startTestServer } from "../helpers/server.ts";
import { dropSchema, POSTGRES_URL, skipWithoutPostgres } from "../helpers/postgres.ts";

const noPostgres = await skipWithoutPostgres("the keys command on Postgres");

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const root = mkdtempSync(join(tmpdir(), "threadgate-keys-cli-"));
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const freshPath = () => join(root, `db-${++counter}`, "threadgate.db");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tsx scripts/keys.ts ...args` (what `npm run keys` runs) on the database at `dbPath`. */
function keys(dbPath: string, ...args: string[]): Promise<Result> {
  return run(TSX, ["scripts/keys.ts", ...args], dbPath);
}

function run(file: string, args: string[], dbPath: string, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: { ...process.env, THREADGATE_SQLITE_PATH: dbPath, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

type Minted = ApiKeyRecord & { key: string };

async function mintJson(dbPath: string, ...args: string[]): Promise<Minted> {
  const r = await keys(dbPath, "mint", "--json", ...args);
  expect(r, r.stderr).toMatchObject({ code: 0, stderr: "" });
  return JSON.parse(r.stdout) as Minted;
}

// Each test starts the CLI as a process of its own several times (~2 s each on this machine, several
// when the suite runs beside it): the time limit guards against a hang, it measures nothing.
describe("npm run keys", { timeout: 120_000 }, () => {
  it("mint --json prints one JSON object: the key and its record", async () => {
    const db = freshPath();
    const r = await keys(
      db,
      "mint",
      "--user",
      "alice",
      "--name",
      "ci",
      "--permissions",
      "threads:read, runs:*",
      "--json",
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    const minted = JSON.parse(r.stdout) as Minted;
    expect(minted).toEqual({
      key: expect.stringMatching(/^tg_[0-9a-f]{16}_[0-9a-f]{64}$/),
      key_id: expect.any(String),
      user_id: "alice",
      name: "ci",
      permissions: ["threads:read", "runs:*"],
      created_at: expect.any(String),
      revoked_at: null,
    });
    expect(minted.key.startsWith(`tg_${minted.key_id}_`)).toBe(true);
    expect(minted).not.toHaveProperty("secret_hash");
  });

  it("mint prints the key once, with its key_id, user and permissions", async () => {
    const db = freshPath();
    const r = await keys(db, "mint", "--user", "bob");
    expect(r.code).toBe(0);
    const key = /tg_[0-9a-f]{16}_[0-9a-f]{64}/.exec(r.stdout)![0];
    expect(r.stdout.split(key)).toHaveLength(2);
    const keyId = key.split("_")[1];
    expect(r.stdout).toMatch(new RegExp(`key_id: +${keyId}\\n`));
    expect(r.stdout).toMatch(/user: +bob\n/);
    expect(r.stdout).toMatch(/permissions: +\*\n/);
  });

  it("list shows every key oldest first, filters by user, and never a hash or secret", async () => {
    const db = freshPath();
    const a = await mintJson(db, "--user", "alice", "--name", "laptop");
    const b = await mintJson(db, "--user", "bob", "--permissions", "threads:*");
    const json = await keys(db, "list", "--json");
    expect(json.code).toBe(0);
    const { key: _a, ...recordA } = a;
    const { key: _b, ...recordB } = b;
    expect(JSON.parse(json.stdout)).toEqual([recordA, recordB]);
    const bobs = await keys(db, "list", "--user", "bob", "--json");
    expect(JSON.parse(bobs.stdout)).toEqual([recordB]);

    const plain = await keys(db, "list");
    expect(plain.code).toBe(0);
    const lines = plain.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^KEY_ID +USER +NAME +PERMISSIONS +CREATED +REVOKED$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(0, 4))).toEqual([
      [a.key_id, "alice", "laptop", "*"],
      [b.key_id, "bob", "-", "threads:*"],
    ]);
    for (const out of [json.stdout, plain.stdout]) {
      expect(out).not.toContain("secret_hash");
      for (const m of [a, b]) expect(out).not.toContain(m.key.split("_")[2]);
    }
    expect((await keys(freshPath(), "list")).stdout).toBe("No API keys.\n");
  });

  it("revoke marks the key revoked; a second revoke and an unknown key_id exit 1", async () => {
    const db = freshPath();
    const a = await mintJson(db, "--user", "alice");
    const b = await mintJson(db, "--user", "alice");
    const r = await keys(db, "revoke", a.key_id);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toContain(a.key_id);
    const listed = JSON.parse((await keys(db, "list", "--json")).stdout) as ApiKeyRecord[];
    expect(listed.map((k) => [k.key_id, k.revoked_at === null])).toEqual([
      [a.key_id, false],
      [b.key_id, true],
    ]);

    const again = await keys(db, "revoke", a.key_id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`API key ${a.key_id} was already revoked at ${listed[0].revoked_at}`);
    const unknown = await keys(db, "revoke", "0123456789abcdef");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no API key has key_id "0123456789abcdef"/);
    expect(unknown.stderr).not.toContain("Usage");
  });

  it("bad usage exits 2 with the usage text, and creates no database", async () => {
    const db = freshPath();
    for (const [args, why] of [
      [[], /no command given/],
      [["frobnicate"], /unknown command "frobnicate"/],
      [["mint"], /mint needs --user/],
      [["mint", "--user"], /--user/],
      [["mint", "--user", "alice", "--permissions", "Threads:read"], /invalid permission "Threads:read"/],
      [["mint", "--user", "alice", "--permissions", ","], /at least one permission/],
      [["mint", "--user", "alice", "extra"], /extra/],
      [["list", "--bogus"], /--bogus/],
      [["revoke"], /revoke needs one <key_id>/],
      [["revoke", "a", "b"], /revoke needs one <key_id>/],
    ] as [string[], RegExp][]) {
      const r = await keys(db, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(why);
      expect(r.stderr).toContain("Usage: npm run keys -- <command>");
      expect(r.stdout).toBe("");
    }
    expect(existsSync(dirname(db))).toBe(false);
    const help = await keys(db, "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run keys -- <command>");
  });

  it("refuses an in-memory database", async () => {
    const r = await keys(":memory:", "list");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/in-memory database/);
  });

  it("a key it mints authenticates against a running server's stores, and stops at the next call after revoke", async () => {
    const db = freshPath();
    // What a running server holds: the data lock and its stores, on the same file, for the whole test.
    const lock = lockDatabase(db);
    const stores = await openSqliteStores({ path: db });
    try {
      const auth = new ApiKeyAuthenticator(stores.apiKeys);
      const minted = await mintJson(db, "--user", "carol", "--permissions", "threads:read,runs:create");
      const expected = {
        identity: "carol",
        display_name: "carol",
        is_authenticated: true,
        permissions: ["threads:read", "runs:create"],
        kind: "api-key",
        key_id: minted.key_id,
      };
      expect(await auth.authenticate({ "x-api-key": minted.key })).toEqual(expected);
      expect(await auth.authenticate({ authorization: `Bearer ${minted.key}` })).toEqual(expected);

      expect((await keys(db, "revoke", minted.key_id)).code).toBe(0);
      const err = await auth.authenticate({ "x-api-key": minted.key }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 401, message: "API key revoked" });
    } finally {
      await stores.close();
      lock.release();
    }
  });

  it("runs as the npm script", async () => {
    const db = freshPath();
    const r = await run("npm", ["run", "keys", "--silent", "--", "mint", "--user", "dave", "--json"], db);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ user_id: "dave", permissions: ["*"] });
    const listed = await run("npm", ["run", "keys", "--silent", "--", "list", "--json"], db);
    expect((JSON.parse(listed.stdout) as ApiKeyRecord[]).map((k) => k.user_id)).toEqual(["dave"]);
  });

  it.skipIf(noPostgres)(
    "on Postgres (DATABASE_URL) mints in the server's schema: the running server takes the key",
    async () => {
      const url = POSTGRES_URL;
      const schema = `tg_keys_${process.pid}`;
      const t = await startTestServer({ databaseUrl: url, postgresSchema: schema, authMode: "api-keys" });
      try {
        const env = { DATABASE_URL: url, THREADGATE_POSTGRES_SCHEMA: schema };
        const r = await run(TSX, ["scripts/keys.ts", "mint", "--user", "erin", "--json"], freshPath(), env);
        expect(r.code, r.stderr).toBe(0);
        const { key } = JSON.parse(r.stdout) as Minted;
        const asErin = await fetch(`${t.url}/threads/search`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key },
          body: "{}",
        });
        expect(asErin.status).toBe(200);
      } finally {
        await t.close();
        await dropSchema(schema);
      }
    },
  );
});
