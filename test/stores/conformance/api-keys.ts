/**
 * ApiKeyStore: insert, find, list, revoke. Run by `describeStoreConformance` (index.ts) on a fresh
 * set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { NewApiKey } from "../../../src/stores/api-keys.ts";
import type { Stores } from "../../../src/stores/types.ts";
import { ISO_MS, sleep } from "./helpers.ts";

function newKey(key_id: string, user_id: string, extra: Partial<NewApiKey> = {}): NewApiKey {
  return { key_id, user_id, name: null, permissions: ["*"], secret_hash: "ab".repeat(32), ...extra };
}

export function describeApiKeyStore(stores: () => Stores): void {
  describe("ApiKeyStore", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    it("insert returns the record without its hash, and find returns it with the hash", async () => {
      const key = newKey("k1", "alice", { name: "laptop", secret_hash: "0f".repeat(32) });
      const record = await s.apiKeys.insert(key);
      expect(record).toEqual({
        key_id: "k1",
        user_id: "alice",
        name: "laptop",
        permissions: ["*"],
        created_at: expect.stringMatching(ISO_MS),
        revoked_at: null,
      });
      expect(record).not.toHaveProperty("secret_hash");
      expect(await s.apiKeys.find("k1")).toEqual({ ...record, secret_hash: "0f".repeat(32) });
      expect(await s.apiKeys.find("nope")).toBeNull();
    });

    it("permissions round-trip as given, in order", async () => {
      const permissions = ["threads:read", "runs:*", "assistants:search", "threads:create"];
      expect((await s.apiKeys.insert(newKey("k1", "alice", { permissions }))).permissions).toEqual(permissions);
      expect((await s.apiKeys.find("k1"))!.permissions).toEqual(permissions);
      await s.apiKeys.insert(newKey("k2", "alice", { permissions: [] }));
      expect((await s.apiKeys.find("k2"))!.permissions).toEqual([]);
      expect((await s.apiKeys.list()).map((k) => k.permissions)).toEqual([permissions, []]);
    });

    it("a duplicate key_id throws and leaves the first key as it was", async () => {
      const first = await s.apiKeys.insert(newKey("k1", "alice"));
      await expect(s.apiKeys.insert(newKey("k1", "mallory", { secret_hash: "cd".repeat(32) }))).rejects.toThrow();
      expect(await s.apiKeys.find("k1")).toEqual({ ...first, secret_hash: "ab".repeat(32) });
      expect(await s.apiKeys.list()).toHaveLength(1);
    });

    it("list is oldest first, filters by user, and includes revoked keys", async () => {
      // Apart in time, so any backend's clock orders them.
      for (const [id, user] of [
        ["k1", "alice"],
        ["k2", "bob"],
        ["k3", "alice"],
        ["k4", "alice"],
      ]) {
        await s.apiKeys.insert(newKey(id, user));
        await sleep(2);
      }
      expect(await s.apiKeys.revoke("k3")).toBe(true);
      const all = await s.apiKeys.list();
      expect(all.map((k) => k.key_id)).toEqual(["k1", "k2", "k3", "k4"]);
      expect(all.every((k) => !("secret_hash" in k))).toBe(true);
      expect((await s.apiKeys.list({})).map((k) => k.key_id)).toEqual(["k1", "k2", "k3", "k4"]);
      const alice = await s.apiKeys.list({ user_id: "alice" });
      expect(alice.map((k) => [k.key_id, k.revoked_at === null])).toEqual([
        ["k1", true],
        ["k3", false],
        ["k4", true],
      ]);
      expect((await s.apiKeys.list({ user_id: "bob" })).map((k) => k.key_id)).toEqual(["k2"]);
      expect(await s.apiKeys.list({ user_id: "nobody" })).toEqual([]);
    });

    it("revoke is true once, then false; false for an unknown key; find shows revoked_at", async () => {
      const record = await s.apiKeys.insert(newKey("k1", "alice"));
      await s.apiKeys.insert(newKey("k2", "alice"));
      expect(await s.apiKeys.revoke("nope")).toBe(false);
      expect(await s.apiKeys.revoke("k1")).toBe(true);
      const revoked = await s.apiKeys.find("k1");
      expect(revoked!.revoked_at).toMatch(ISO_MS);
      expect(revoked!.revoked_at! >= record.created_at).toBe(true);
      expect(revoked).toEqual({ ...record, secret_hash: "ab".repeat(32), revoked_at: revoked!.revoked_at });
      // A second revoke changes nothing, its time included.
      expect(await s.apiKeys.revoke("k1")).toBe(false);
      expect((await s.apiKeys.find("k1"))!.revoked_at).toBe(revoked!.revoked_at);
      expect((await s.apiKeys.find("k2"))!.revoked_at).toBeNull();
    });
  });
}
