/**
 * StoreItemStore: put (insert, replace), get, delete, search by prefix and filter with paging, and
 * namespaces by prefix, suffix and depth, each within one owner's items. Run by
 * `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Stores } from "../../../src/stores/types.ts";
import type { StoreItemSearch } from "../../../src/stores/store-items.ts";
import { ISO_MS, sleep } from "./helpers.ts";

const all: StoreItemSearch = { namespace_prefix: [], limit: 100, offset: 0, refresh_ttl: false };

export function describeStoreItemStore(stores: () => Stores): void {
  describe("StoreItemStore", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    it("put inserts, get reads it back, a second put replaces the value and moves only updated_at", async () => {
      await s.storeItems.put("alice", { namespace: ["a", "b"], key: "k", value: { n: 1, nested: { x: [1] } } });
      const first = await s.storeItems.get("alice", ["a", "b"], "k", false);
      expect(first).toEqual({
        namespace: ["a", "b"],
        key: "k",
        value: { n: 1, nested: { x: [1] } },
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
      });
      expect(first!.updated_at).toBe(first!.created_at);
      await sleep(5);
      await s.storeItems.put("alice", { namespace: ["a", "b"], key: "k", value: { n: 2 } });
      const second = await s.storeItems.get("alice", ["a", "b"], "k", true);
      expect(second!.value).toEqual({ n: 2 });
      expect(second!.created_at).toBe(first!.created_at);
      expect(second!.updated_at > first!.updated_at).toBe(true);
      expect(await s.storeItems.get("alice", ["a"], "k", false)).toBeNull();
      expect(await s.storeItems.get("alice", ["a", "b", "c"], "k", false)).toBeNull();
      expect(await s.storeItems.get("alice", ["a", "b"], "other", false)).toBeNull();
    });

    it("each owner has its own items: the same namespace and key are two items, null is a store of its own", async () => {
      await s.storeItems.put("alice", { namespace: ["n"], key: "k", value: { who: "alice" } });
      await s.storeItems.put("bob", { namespace: ["n"], key: "k", value: { who: "bob" } });
      await s.storeItems.put(null, { namespace: ["n"], key: "k", value: { who: "none" } });
      expect((await s.storeItems.get("alice", ["n"], "k", false))!.value).toEqual({ who: "alice" });
      expect((await s.storeItems.get("bob", ["n"], "k", false))!.value).toEqual({ who: "bob" });
      expect((await s.storeItems.get(null, ["n"], "k", false))!.value).toEqual({ who: "none" });
      expect(await s.storeItems.get("carol", ["n"], "k", false)).toBeNull();
      expect(await s.storeItems.delete("carol", ["n"], "k")).toBe(false);
      expect(await s.storeItems.delete("bob", ["n"], "k")).toBe(true);
      expect(await s.storeItems.get("bob", ["n"], "k", false)).toBeNull();
      expect((await s.storeItems.get("alice", ["n"], "k", false))!.value).toEqual({ who: "alice" });
      expect((await s.storeItems.search("alice", all)).map((i) => i.value)).toEqual([{ who: "alice" }]);
      expect(await s.storeItems.listNamespaces("bob", { prefix: [], suffix: [], limit: 10, offset: 0 })).toEqual([]);
    });

    it("search takes whole labels of the prefix, filters on the value's keys, newest first, paged", async () => {
      await s.storeItems.put("o", { namespace: ["a"], key: "1", value: { kind: "x", n: 1 } });
      await sleep(2);
      await s.storeItems.put("o", { namespace: ["a", "b"], key: "2", value: { kind: "y", n: 2 } });
      await sleep(2);
      await s.storeItems.put("o", { namespace: ["ab"], key: "3", value: { kind: "x", n: 3 } });
      await sleep(2);
      await s.storeItems.put("o", { namespace: ["a", "b", "c"], key: "4", value: { kind: "x", n: 4, tags: ["t"] } });
      await sleep(2);
      await s.storeItems.put("o", { namespace: ["a_"], key: "5", value: { kind: "x", n: 5 } });
      const keys = async (q: Partial<StoreItemSearch>) =>
        (await s.storeItems.search("o", { ...all, ...q })).map((i) => i.key);
      expect(await keys({})).toEqual(["5", "4", "3", "2", "1"]);
      expect(await keys({ namespace_prefix: ["a"] })).toEqual(["4", "2", "1"]);
      expect(await keys({ namespace_prefix: ["a", "b"] })).toEqual(["4", "2"]);
      expect(await keys({ namespace_prefix: ["a", "b", "c", "d"] })).toEqual([]);
      expect(await keys({ namespace_prefix: ["a"], filter: { kind: "x" } })).toEqual(["4", "1"]);
      expect(await keys({ filter: { kind: "x", n: 3 } })).toEqual(["3"]);
      expect(await keys({ filter: { tags: ["t"] } })).toEqual(["4"]);
      expect(await keys({ filter: { missing: null } })).toEqual([]);
      expect(await keys({ limit: 2 })).toEqual(["5", "4"]);
      expect(await keys({ limit: 2, offset: 2 })).toEqual(["3", "2"]);
      expect(await keys({ limit: 2, offset: 4 })).toEqual(["1"]);
      const [item] = await s.storeItems.search("o", { ...all, namespace_prefix: ["a", "b", "c"] });
      expect(item).toEqual({
        namespace: ["a", "b", "c"],
        key: "4",
        value: { kind: "x", n: 4, tags: ["t"] },
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
      });
    });

    it("lists distinct namespaces by whole-label prefix and suffix, cut to max_depth, sorted and paged", async () => {
      for (const namespace of [["a", "b", "c"], ["a", "b", "d"], ["a", "x"], ["ab", "c"], ["z", "b", "c"], ["c"]])
        await s.storeItems.put("o", { namespace, key: "k", value: {} });
      await s.storeItems.put("o", { namespace: ["a", "x"], key: "k2", value: {} });
      const list = (q: { prefix?: string[]; suffix?: string[]; max_depth?: number; limit?: number; offset?: number }) =>
        s.storeItems.listNamespaces("o", { prefix: [], suffix: [], limit: 100, offset: 0, ...q });
      expect(await list({})).toEqual([
        ["a", "b", "c"],
        ["a", "b", "d"],
        ["a", "x"],
        ["ab", "c"],
        ["c"],
        ["z", "b", "c"],
      ]);
      expect(await list({ prefix: ["a"] })).toEqual([
        ["a", "b", "c"],
        ["a", "b", "d"],
        ["a", "x"],
      ]);
      expect(await list({ suffix: ["c"] })).toEqual([["a", "b", "c"], ["ab", "c"], ["c"], ["z", "b", "c"]]);
      expect(await list({ suffix: ["b", "c"] })).toEqual([
        ["a", "b", "c"],
        ["z", "b", "c"],
      ]);
      expect(await list({ prefix: ["a"], suffix: ["c"] })).toEqual([["a", "b", "c"]]);
      expect(await list({ max_depth: 1 })).toEqual([["a"], ["ab"], ["c"], ["z"]]);
      expect(await list({ prefix: ["a"], max_depth: 2 })).toEqual([
        ["a", "b"],
        ["a", "x"],
      ]);
      expect(await list({ max_depth: 1, limit: 2, offset: 1 })).toEqual([["ab"], ["c"]]);
      expect(await list({ limit: 2, offset: 5 })).toEqual([["z", "b", "c"]]);
    });

    it("labels hold any character but '.', LIKE's wildcards included", async () => {
      await s.storeItems.put("o", { namespace: ["50%", "a_b"], key: "k", value: { v: 1 } });
      await s.storeItems.put("o", { namespace: ["50x", "aXb"], key: "k", value: { v: 2 } });
      await s.storeItems.put("o", { namespace: ["ünï", "😀"], key: "k", value: { v: 3 } });
      expect((await s.storeItems.search("o", { ...all, namespace_prefix: ["50%"] })).map((i) => i.value)).toEqual([
        { v: 1 },
      ]);
      expect(await s.storeItems.listNamespaces("o", { prefix: [], suffix: ["a_b"], limit: 10, offset: 0 })).toEqual([
        ["50%", "a_b"],
      ]);
      expect(await s.storeItems.listNamespaces("o", { prefix: [], suffix: ["😀"], limit: 10, offset: 0 })).toEqual([
        ["ünï", "😀"],
      ]);
      expect((await s.storeItems.get("o", ["ünï", "😀"], "k", false))!.value).toEqual({ v: 3 });
    });

    it("keeps a time to live with the item: a put without one clears it, reads may refresh it", async () => {
      await s.storeItems.put("o", { namespace: ["t"], key: "k", value: {}, ttl_minutes: 1 });
      expect(await s.storeItems.get("o", ["t"], "k", true)).not.toBeNull();
      expect((await s.storeItems.search("o", { ...all, refresh_ttl: true })).map((i) => i.key)).toEqual(["k"]);
      await s.storeItems.put("o", { namespace: ["t"], key: "k", value: { again: true } });
      expect((await s.storeItems.get("o", ["t"], "k", true))!.value).toEqual({ again: true });
    });
  });
}
