/**
 * Auth mode `api-keys`: minting (src/auth/api-keys.ts) and the authenticator, on a real SQLite file.
 * A second connection to the same file plays the `keys` command beside a running server.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ApiKeyAuthenticator,
  ApiKeyInputError,
  hashSecret,
  mintApiKey,
  parseApiKey,
  validatePermissions,
} from "../../src/auth/api-keys.ts";
import type { RequestHeaders } from "../../src/auth/types.ts";
import { ApiError } from "../../src/http/errors.ts";
import { SqliteApiKeyStore } from "../../src/stores/sqlite/api-keys.ts";
import { openDatabase, type SqliteDatabase } from "../../src/stores/sqlite/database.ts";

const root = mkdtempSync(join(tmpdir(), "threadgate-api-keys-"));
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const KEY_FORMAT = /^tg_([0-9a-f]{16})_([0-9a-f]{64})$/;

let path: string;
let db: SqliteDatabase;
let store: SqliteApiKeyStore;
let auth: ApiKeyAuthenticator;

beforeEach(async () => {
  path = join(root, `db-${++counter}`, "threadgate.db");
  db = await openDatabase(path);
  store = new SqliteApiKeyStore(db);
  auth = new ApiKeyAuthenticator(store);
});
afterEach(() => db.close());

/** The 401 `authenticate` rejects with (failing the test if it resolves or throws something else). */
async function rejection(headers: RequestHeaders): Promise<ApiError> {
  const err = await auth.authenticate(headers).then(
    () => expect.fail("authenticated"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  const apiError = err as ApiError;
  expect(apiError.status).toBe(401);
  expect(apiError.headers).toEqual({ "WWW-Authenticate": "Bearer" });
  return apiError;
}

/** What the client would be told, all of it. */
const told = (err: ApiError) => `${err.message} ${JSON.stringify(err.detail)} ${JSON.stringify(err.headers)}`;

describe("mintApiKey", () => {
  it("makes tg_<key_id>_<secret> and stores only the SHA-256 of the secret", async () => {
    const { key, record } = await mintApiKey(store, { user: "alice" });
    const [, keyId, secret] = KEY_FORMAT.exec(key)!;
    expect(record).toEqual({
      key_id: keyId,
      user_id: "alice",
      name: null,
      permissions: ["*"],
      created_at: expect.any(String),
      revoked_at: null,
    });
    expect(parseApiKey(key)).toEqual({ keyId, secret });
    const stored = await store.find(keyId);
    expect(stored!.secret_hash).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(stored!.secret_hash).toBe(hashSecret(secret));
    // Nowhere in the row: neither the secret nor the key.
    const row = JSON.stringify(db.prepare("SELECT * FROM api_keys").all());
    expect(row).not.toContain(secret);
    expect(row).not.toContain(key);
  });

  it("keeps a name and permissions, and every key is new", async () => {
    const a = await mintApiKey(store, { user: "alice", name: "ci", permissions: ["threads:read", "runs:*"] });
    const b = await mintApiKey(store, { user: "alice" });
    expect(a.record).toMatchObject({ name: "ci", permissions: ["threads:read", "runs:*"] });
    expect(a.key).not.toBe(b.key);
    expect(a.record.key_id).not.toBe(b.record.key_id);
    expect((await store.list({ user_id: "alice" })).map((k) => k.key_id)).toEqual([a.record.key_id, b.record.key_id]);
  });

  it("refuses bad users, names and permissions, storing nothing", async () => {
    for (const opts of [
      { user: "" },
      { user: " alice" },
      { user: "al\nice" },
      { user: "alice", name: "" },
      { user: "alice", name: "a\u0007" },
      { user: "alice", permissions: [] },
      { user: "alice", permissions: ["threads:read", "Threads:read"] },
    ]) {
      await expect(mintApiKey(store, opts), JSON.stringify(opts)).rejects.toBeInstanceOf(ApiKeyInputError);
    }
    expect(await store.list()).toEqual([]);
  });

  it("permissions are *, resource:* or resource:action", () => {
    const good = ["*", "threads:*", "runs:create", "my_res-x:do_it"];
    expect(validatePermissions(good)).toEqual(good);
    for (const bad of [
      "",
      "threads",
      "threads:",
      ":read",
      "*:read",
      "threads:read:x",
      " threads:read",
      "runs:Create",
    ]) {
      expect(() => validatePermissions([bad]), bad).toThrow(ApiKeyInputError);
    }
  });
});

describe("ApiKeyAuthenticator", () => {
  it("accepts a key sent as x-api-key", async () => {
    const { key, record } = await mintApiKey(store, { user: "alice", permissions: ["threads:read", "runs:*"] });
    expect(await auth.authenticate({ "x-api-key": key })).toEqual({
      identity: "alice",
      display_name: "alice",
      is_authenticated: true,
      permissions: ["threads:read", "runs:*"],
      kind: "api-key",
      key_id: record.key_id,
    });
  });

  it("accepts a key sent as Authorization: Bearer, the scheme in any case", async () => {
    const { key, record } = await mintApiKey(store, { user: "bob" });
    for (const authorization of [`Bearer ${key}`, `bearer ${key}`, `BEARER  ${key} `]) {
      const user = await auth.authenticate({ authorization });
      expect(user).toMatchObject({ identity: "bob", permissions: ["*"], key_id: record.key_id });
    }
  });

  it("prefers x-api-key when both are sent", async () => {
    const alice = await mintApiKey(store, { user: "alice" });
    const bob = await mintApiKey(store, { user: "bob" });
    const user = await auth.authenticate({ "x-api-key": alice.key, authorization: `Bearer ${bob.key}` });
    expect(user.identity).toBe("alice");
  });

  it("refuses a wrong secret for a known key_id", async () => {
    const { key, record } = await mintApiKey(store, { user: "alice" });
    const last = key.at(-1) === "0" ? "1" : "0";
    const wrong = `${key.slice(0, -1)}${last}`;
    const err = await rejection({ "x-api-key": wrong });
    expect(err.message).toBe("Invalid API key");
    expect(told(err)).not.toContain(record.key_id);
  });

  it("refuses a well-formed key whose key_id is unknown", async () => {
    const { key } = await mintApiKey(store, { user: "alice" });
    const unknown = `tg_${"0".repeat(16)}_${parseApiKey(key)!.secret}`;
    expect((await rejection({ "x-api-key": unknown })).message).toBe("Invalid API key");
    expect((await rejection({ authorization: `Bearer ${unknown}` })).message).toBe("Invalid API key");
  });

  it("refuses malformed keys", async () => {
    const { key } = await mintApiKey(store, { user: "alice" });
    const { keyId, secret } = parseApiKey(key)!;
    for (const bad of [
      "",
      "tg_",
      key.toUpperCase(),
      `${key}0`,
      key.slice(0, -1),
      key.slice(3),
      `xx_${keyId}_${secret}`,
      `tg_${keyId}-${secret}`,
      `tg_${keyId}_${secret}_`,
      `tg_${keyId}_${secret.slice(0, -1)}g`,
      `${key}, ${key}`, // a repeated x-api-key, as Node joins it
    ]) {
      const err = await rejection({ "x-api-key": bad });
      expect(err.message, bad).toBe("Invalid API key");
    }
  });

  it("refuses a key revoked from another connection on the very next call", async () => {
    const { key, record } = await mintApiKey(store, { user: "alice" });
    await auth.authenticate({ "x-api-key": key });
    // The `keys` command's connection, beside the server's.
    const other = await openDatabase(path);
    try {
      expect(await new SqliteApiKeyStore(other).revoke(record.key_id)).toBe(true);
    } finally {
      other.close();
    }
    expect((await rejection({ "x-api-key": key })).message).toBe("API key revoked");
    expect((await rejection({ authorization: `Bearer ${key}` })).message).toBe("API key revoked");
  });

  it("tells only the holder of the secret that a key is revoked", async () => {
    const { key, record } = await mintApiKey(store, { user: "alice" });
    await store.revoke(record.key_id);
    const wrong = `tg_${record.key_id}_${"0".repeat(64)}`;
    expect(wrong).not.toBe(key);
    expect((await rejection({ "x-api-key": wrong })).message).toBe("Invalid API key");
  });

  it("refuses a request without credentials, naming both ways to send one", async () => {
    for (const headers of [
      {},
      { authorization: "Basic YWxpY2U6c2VjcmV0" },
      { authorization: "Bearer" },
      { "x-api-key": ["a", "b"] },
    ]) {
      const err = await rejection(headers);
      expect(err.message, JSON.stringify(headers)).toMatch(/^Missing API key/);
      expect(err.message).toContain("x-api-key");
      expect(err.message).toContain("Authorization: Bearer");
    }
  });

  it("never echoes the key, its secret or its key_id, whatever was wrong", async () => {
    const { key, record } = await mintApiKey(store, { user: "alice" });
    const { secret } = parseApiKey(key)!;
    const wrongSecret = `tg_${record.key_id}_${"f".repeat(64)}`;
    const malformed = `${key}x`;
    const unknown = `tg_${"a".repeat(16)}_${secret}`;
    const errors = [
      await rejection({ "x-api-key": wrongSecret }),
      await rejection({ "x-api-key": malformed }),
      await rejection({ authorization: `Bearer ${unknown}` }),
    ];
    await store.revoke(record.key_id);
    errors.push(await rejection({ "x-api-key": key }));
    for (const err of errors) {
      for (const part of [key, secret, record.key_id, wrongSecret, malformed, unknown, "f".repeat(16)]) {
        expect(told(err)).not.toContain(part);
      }
    }
  });

  it("refuses, without throwing anything but the 401, a key whose stored hash is not a SHA-256", async () => {
    const { key, record } = await mintApiKey(store, { user: "alice" });
    db.prepare("UPDATE api_keys SET secret_hash = 'zz' WHERE key_id = ?").run(record.key_id);
    expect((await rejection({ "x-api-key": key })).message).toBe("Invalid API key");
  });
});
