/**
 * StoreItemStore's expiry and vectors: an item past its time to live is gone for every read, and
 * `sweepExpired` removes exactly the expired, in batches; vectors rank a search by cosine similarity
 * (best field per item, `score` set), within the owner, prefix and filter, and go with their item.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Stores } from "../../../src/stores/types.ts";
import type { StoreItemSearch } from "../../../src/stores/store-items.ts";
import { sleep } from "./helpers.ts";

const all: StoreItemSearch = { namespace_prefix: [], limit: 100, offset: 0, refresh_ttl: false };

export function describeStoreItemExpiryAndVectors(stores: () => Stores): void {
  describe("StoreItemStore expiry and vectors", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    it("an expired item is absent to get, search and namespaces; the sweep removes only the expired", async () => {
      await s.storeItems.put("o", { namespace: ["e", "short"], key: "a", value: {}, ttl_minutes: 0.0005 }); // 30 ms
      await s.storeItems.put("o", { namespace: ["e", "short"], key: "b", value: {}, ttl_minutes: 0.0005 });
      await s.storeItems.put("p", { namespace: ["e", "short"], key: "c", value: {}, ttl_minutes: 0.0005 });
      await s.storeItems.put("o", { namespace: ["e", "long"], key: "d", value: {}, ttl_minutes: 60 });
      await s.storeItems.put("o", { namespace: ["e", "none"], key: "e", value: {} });
      await sleep(80);
      expect(await s.storeItems.get("o", ["e", "short"], "a", true)).toBeNull();
      expect((await s.storeItems.search("o", all)).map((i) => i.key).sort()).toEqual(["d", "e"]);
      const ns = await s.storeItems.listNamespaces("o", { prefix: [], suffix: [], limit: 10, offset: 0 });
      expect(ns).toEqual([
        ["e", "long"],
        ["e", "none"],
      ]);
      // Two per sweep (the limit): the third, of another owner, in the next; nothing else.
      expect(await s.storeItems.sweepExpired(new Date(), 2)).toBe(2);
      expect(await s.storeItems.sweepExpired(new Date(), 2)).toBe(1);
      expect(await s.storeItems.sweepExpired(new Date(), 2)).toBe(0);
      // Swept items are gone even from a later put's point of view: a new put is a new item.
      await s.storeItems.put("o", { namespace: ["e", "short"], key: "a", value: { again: true } });
      const again = await s.storeItems.get("o", ["e", "short"], "a", false);
      expect(again!.created_at).toBe(again!.updated_at);
      expect((await s.storeItems.search("o", all)).map((i) => i.key).sort()).toEqual(["a", "d", "e"]);
      // Not yet expired: not swept.
      expect(await s.storeItems.sweepExpired(new Date(Date.now() + 30 * 60_000), 100)).toBe(0);
      expect(await s.storeItems.sweepExpired(new Date(Date.now() + 61 * 60_000), 100)).toBe(1);
    });

    it("filters with LangGraph's operators: $eq $ne $gt $gte $lt $lte $in $nin, beside plain values", async () => {
      const values = [
        { key: "a", value: { n: 1, kind: "note", tags: ["x"] } },
        { key: "b", value: { n: 5, kind: "todo" } },
        { key: "c", value: { n: 10, kind: "note", name: "carol" } },
        { key: "d", value: { kind: "memo", name: "dave", n: "10" } },
      ];
      for (const { key, value } of values) await s.storeItems.put("o", { namespace: ["f"], key, value });
      const keys = async (filter: Record<string, unknown>) =>
        (await s.storeItems.search("o", { ...all, filter })).map((i) => i.key).sort();
      expect(await keys({ n: { $gt: 1 } })).toEqual(["b", "c"]); // "10" is a string: not compared with a number
      expect(await keys({ n: { $gte: 1, $lt: 10 } })).toEqual(["a", "b"]);
      expect(await keys({ n: { $lte: 5 } })).toEqual(["a", "b"]);
      expect(await keys({ name: { $gt: "cat" } })).toEqual(["d"]);
      expect(await keys({ kind: { $in: ["note", "memo"] } })).toEqual(["a", "c", "d"]);
      expect(await keys({ kind: { $nin: ["note"] } })).toEqual(["b", "d"]);
      expect(await keys({ name: { $ne: "carol" } })).toEqual(["a", "b", "d"]); // absent passes $ne
      expect(await keys({ name: { $eq: "carol" }, kind: "note" })).toEqual(["c"]);
      expect(await keys({ tags: { $eq: ["x"] } })).toEqual(["a"]);
      // An object with another key is a value to equal; an empty one too.
      expect(await keys({ n: { $gt: 1, other: 2 } })).toEqual([]);
      expect(await keys({ kind: "note", n: 10 })).toEqual(["c"]);
    });

    it("vectors rank a search by cosine similarity, best field first, within owner, prefix and filter", async () => {
      await s.storeItems.enableVectorSearch();
      const put = (owner: string, namespace: string[], key: string, kind: string, ...vectors: number[][]) =>
        s.storeItems.put(owner, {
          namespace,
          key,
          value: { kind },
          vectors: vectors.map((embedding, i) => ({ field: `f${i}`, embedding })),
        });
      await put("o", ["v"], "x", "a", [1, 0, 0]);
      await put("o", ["v"], "xy", "b", [1, 1, 0]);
      await put("o", ["v"], "y-or-x", "a", [0, 1, 0], [0.9, 0.1, 0]); // best field: the second
      await put("o", ["v", "deep"], "z", "a", [0, 0, 1]);
      await put("o", ["w"], "x-elsewhere", "a", [1, 0, 0]);
      await put("o", ["v"], "plain", "a"); // no vectors: not found by vector
      await put("p", ["v"], "theirs", "a", [1, 0, 0]);
      const ranked = await s.storeItems.search("o", { ...all, namespace_prefix: ["v"], vector: [1, 0, 0] });
      expect(ranked.map((i) => i.key)).toEqual(["x", "y-or-x", "xy", "z"]);
      expect(ranked[0].score).toBeCloseTo(1, 5);
      expect(ranked[1].score).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 5);
      expect(ranked[2].score).toBeCloseTo(Math.SQRT1_2, 5);
      expect(ranked[3].score).toBeCloseTo(0, 5);
      const filtered = await s.storeItems.search("o", { ...all, filter: { kind: "a" }, vector: [1, 0, 0], limit: 2 });
      // Equal scores: by namespace, then key.
      expect(filtered.map((i) => i.key)).toEqual(["x", "x-elsewhere"]);
      expect((await s.storeItems.search("o", { ...all, vector: [1, 0, 0], offset: 4 })).map((i) => i.key)).toEqual([
        "z",
      ]);
      // A vector of another length (made before `dims` changed) is skipped, not an error.
      expect(await s.storeItems.search("o", { ...all, vector: [1, 0] })).toEqual([]);
      // A put replaces the vectors; without any, the item is not found by vector; a delete takes them.
      await put("o", ["v"], "x", "a", [0, 0, 1]);
      expect(
        (await s.storeItems.search("o", { ...all, namespace_prefix: ["v"], vector: [0, 0, 1], limit: 2 })).map(
          (i) => i.key,
        ),
      ).toEqual(["x", "z"]);
      await put("o", ["v"], "x", "a");
      await s.storeItems.delete("o", ["v", "deep"], "z");
      expect(
        (await s.storeItems.search("o", { ...all, namespace_prefix: ["v"], vector: [0, 0, 1] })).map((i) => i.key),
      ).toEqual(["xy", "y-or-x"]); // both 0: by key
      // Plain searches carry no score.
      expect((await s.storeItems.search("o", all)).every((i) => i.score === undefined)).toBe(true);
    });
  });
}
