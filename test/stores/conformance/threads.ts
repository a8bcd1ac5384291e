/**
 * ThreadStore: create, get, update, delete (with what hangs off a thread) and search.
 * Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Stores, ThreadRecord } from "../../../src/stores/types.ts";
import { ISO_MS, sleep, newRun, entry, ev, putCheckpoint } from "./helpers.ts";

export function describeThreadStore(stores: () => Stores): void {
  describe("ThreadStore", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    it("create fills defaults and get returns the same record", async () => {
      const t = await s.threads.create({ thread_id: "t1", metadata: { a: 1 } });
      expect(t).not.toBeNull();
      expect(t).toEqual({
        thread_id: "t1",
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
        state_updated_at: expect.stringMatching(ISO_MS),
        metadata: { a: 1 },
        status: "idle",
        config: {},
        values: null,
        interrupts: {},
        owner_id: null,
        ttl: null,
      });
      expect(t!.updated_at).toBe(t!.created_at);
      expect(t!.state_updated_at).toBe(t!.created_at);
      expect(await s.threads.get("t1")).toEqual(t);
    });

    it("create honours status, config and owner_id", async () => {
      const t = await s.threads.create({
        thread_id: "t1",
        metadata: {},
        status: "busy",
        config: { configurable: { model: "x" } },
        owner_id: "alice",
      });
      expect(t).toMatchObject({ status: "busy", config: { configurable: { model: "x" } }, owner_id: "alice" });
      expect(await s.threads.get("t1")).toEqual(t);
    });

    it("create returns null when the id exists and leaves the row untouched", async () => {
      const first = await s.threads.create({ thread_id: "t1", metadata: { v: 1 } });
      expect(await s.threads.create({ thread_id: "t1", metadata: { v: 2 }, owner_id: "bob" })).toBeNull();
      expect(await s.threads.get("t1")).toEqual(first);
    });

    it("get returns null for an unknown id", async () => {
      expect(await s.threads.get("nope")).toBeNull();
    });

    it("update merges metadata shallowly, replaces other fields and bumps updated_at", async () => {
      const t = await s.threads.create({
        thread_id: "t1",
        metadata: { keep: "k", over: "old", nested: { a: 1, b: 2 } },
        config: { c: 1 },
      });
      await sleep(5);
      const u = await s.threads.update("t1", {
        metadata: { over: "new", nested: { a: 9 }, added: true },
        status: "interrupted",
        values: { messages: [{ type: "human", content: "hi" }] },
        interrupts: { task1: [{ value: "approve?" }] },
        config: { d: 2 },
      });
      expect(u).toEqual({
        ...t,
        updated_at: expect.stringMatching(ISO_MS),
        state_updated_at: u!.updated_at,
        metadata: { keep: "k", over: "new", nested: { a: 9 }, added: true },
        status: "interrupted",
        values: { messages: [{ type: "human", content: "hi" }] },
        interrupts: { task1: [{ value: "approve?" }] },
        config: { d: 2 },
      });
      expect(u!.created_at).toBe(t!.created_at);
      expect(u!.updated_at > t!.updated_at).toBe(true);
      expect(await s.threads.get("t1")).toEqual(u);
    });

    it("update leaves unspecified fields alone and can clear values", async () => {
      await s.threads.create({ thread_id: "t1", metadata: { m: 1 }, config: { c: 1 } });
      await s.threads.update("t1", { values: { x: 1 } });
      const a = await s.threads.update("t1", { status: "busy" });
      expect(a).toMatchObject({ metadata: { m: 1 }, config: { c: 1 }, values: { x: 1 }, status: "busy" });
      const b = await s.threads.update("t1", { values: null });
      expect(b!.values).toBeNull();
      expect(b!.status).toBe("busy");
      await sleep(5);
      const c = await s.threads.update("t1", {});
      expect(c).toMatchObject({ metadata: { m: 1 }, config: { c: 1 }, values: null, status: "busy" });
      expect(c!.updated_at > b!.updated_at).toBe(true);
    });

    it("update returns null for an unknown thread", async () => {
      expect(await s.threads.update("nope", { status: "busy" })).toBeNull();
      expect(await s.threads.get("nope")).toBeNull();
    });

    it("delete removes the thread with its runs, stream events, journal and checkpoints only", async () => {
      for (const id of ["t1", "t2"]) {
        await s.threads.create({ thread_id: id, metadata: {} });
        await s.runs.insert(newRun(`${id}-r1`, id));
        await s.runs.insert(newRun(`${id}-r2`, id, { status: "success" }));
        await s.streamEvents.append([ev(`${id}-r1`, 0), ev(`${id}-r1`, 1), ev(`${id}-r2`, 0)]);
        await s.journal.append([entry(id, `${id}-r1`, "llm.human.input", "message")]);
        await putCheckpoint(s, id, `${id}-r1`);
      }
      expect(await s.threads.delete("t1")).toBe(true);

      expect(await s.threads.get("t1")).toBeNull();
      expect(await s.runs.get("t1-r1")).toBeNull();
      expect(await s.runs.get("t1-r2")).toBeNull();
      expect(await s.runs.listByThread("t1", { limit: 10, offset: 0 })).toEqual([]);
      expect(await s.streamEvents.list("t1-r1", -1)).toEqual([]);
      expect(await s.streamEvents.list("t1-r2", -1)).toEqual([]);
      expect((await s.journal.listThreadMessages("t1", { limit: 10 })).data).toEqual([]);
      expect(await s.checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: "" } })).toBeUndefined();

      // the other thread is untouched
      expect(await s.threads.get("t2")).not.toBeNull();
      expect(await s.runs.listByThread("t2", { limit: 10, offset: 0 })).toHaveLength(2);
      expect(await s.streamEvents.list("t2-r1", -1)).toHaveLength(2);
      expect((await s.journal.listThreadMessages("t2", { limit: 10 })).data).toHaveLength(1);
      const cp = await s.checkpointer.getTuple({ configurable: { thread_id: "t2", checkpoint_ns: "" } });
      expect(cp?.metadata).toMatchObject({ run_id: "t2-r1" });
      expect(cp?.pendingWrites).toHaveLength(1);

      expect(await s.threads.delete("t1")).toBe(false);
      expect(await s.threads.delete("never")).toBe(false);
    });

    describe("search", () => {
      const seed = async () => {
        // created in order t1..t5 with distinct timestamps
        const specs: Array<[string, Record<string, unknown>, ThreadRecord["status"], string | null]> = [
          ["t1", { graph_id: "a", n: 1, flag: true, obj: { x: 1, y: [1, 2] } }, "idle", "alice"],
          ["t2", { graph_id: "b", n: 2, flag: false, nul: null }, "busy", "bob"],
          ["t3", { graph_id: "a", n: 1, flag: false, obj: { y: [1, 2], x: 1 } }, "error", null],
          ["t4", { graph_id: "a", n: "1" }, "idle", "alice"],
          ["t5", {}, "interrupted", "bob"],
        ];
        for (const [id, metadata, status, owner_id] of specs) {
          await s.threads.create({ thread_id: id, metadata, status, owner_id });
          await sleep(3);
        }
      };
      const ids = (r: { items: ThreadRecord[] }) => r.items.map((t) => t.thread_id);

      it("defaults to created_at desc and reports the unpaged total", async () => {
        await seed();
        const r = await s.threads.search({ limit: 10, offset: 0 });
        expect(ids(r)).toEqual(["t5", "t4", "t3", "t2", "t1"]);
        expect(r.total).toBe(5);
        expect(r.items[0]).toEqual(await s.threads.get("t5"));
      });

      it("applies limit and offset but not to total", async () => {
        await seed();
        const r = await s.threads.search({ limit: 2, offset: 1 });
        expect(ids(r)).toEqual(["t4", "t3"]);
        expect(r.total).toBe(5);
        const past = await s.threads.search({ limit: 2, offset: 10 });
        expect(past.items).toEqual([]);
        expect(past.total).toBe(5);
      });

      it("filters metadata by JSON equality of every key", async () => {
        await seed();
        expect(ids(await s.threads.search({ metadata: { graph_id: "a" }, limit: 10, offset: 0 }))).toEqual([
          "t4",
          "t3",
          "t1",
        ]);
        // number 1 does not match string "1"
        expect(ids(await s.threads.search({ metadata: { n: 1 }, limit: 10, offset: 0 }))).toEqual(["t3", "t1"]);
        expect(ids(await s.threads.search({ metadata: { n: "1" }, limit: 10, offset: 0 }))).toEqual(["t4"]);
        expect(ids(await s.threads.search({ metadata: { flag: false }, limit: 10, offset: 0 }))).toEqual(["t3", "t2"]);
        expect(ids(await s.threads.search({ metadata: { flag: true }, limit: 10, offset: 0 }))).toEqual(["t1"]);
        // nested objects compare by value, independent of key order
        expect(ids(await s.threads.search({ metadata: { obj: { x: 1, y: [1, 2] } }, limit: 10, offset: 0 }))).toEqual([
          "t3",
          "t1",
        ]);
        expect(ids(await s.threads.search({ metadata: { obj: { x: 1 } }, limit: 10, offset: 0 }))).toEqual([]);
        // several keys must all match
        expect(ids(await s.threads.search({ metadata: { graph_id: "a", flag: true }, limit: 10, offset: 0 }))).toEqual([
          "t1",
        ]);
        // null matches a present null value, not a missing key
        expect(ids(await s.threads.search({ metadata: { nul: null }, limit: 10, offset: 0 }))).toEqual(["t2"]);
        const r = await s.threads.search({ metadata: { graph_id: "a" }, limit: 1, offset: 0 });
        expect(r.total).toBe(3);
        // an empty filter is no filter
        expect((await s.threads.search({ metadata: {}, limit: 10, offset: 0 })).total).toBe(5);
      });

      it("filters by ids and status", async () => {
        await seed();
        expect(ids(await s.threads.search({ ids: ["t1", "t3", "zz"], limit: 10, offset: 0 }))).toEqual(["t3", "t1"]);
        expect(ids(await s.threads.search({ status: "idle", limit: 10, offset: 0 }))).toEqual(["t4", "t1"]);
        const r = await s.threads.search({ status: "idle", ids: ["t4", "t5"], limit: 10, offset: 0 });
        expect(ids(r)).toEqual(["t4"]);
        expect(r.total).toBe(1);
      });

      it("filters by the cached latest values as metadata is filtered: every key JSON-equal", async () => {
        await seed();
        await s.threads.update("t1", { values: { topic: "cats", n: 1, deep: { a: [1], b: 2 } } });
        await s.threads.update("t3", { values: { topic: "cats", n: 2 } });
        await s.threads.update("t4", { values: { topic: "dogs" } });
        const q = (values: Record<string, unknown>) => ({ values, limit: 10, offset: 0 });
        expect(ids(await s.threads.search(q({ topic: "cats" })))).toEqual(["t3", "t1"]);
        expect(ids(await s.threads.search(q({ topic: "cats", n: 1 })))).toEqual(["t1"]);
        expect(ids(await s.threads.search(q({ deep: { b: 2, a: [1] } })))).toEqual(["t1"]);
        expect(ids(await s.threads.search(q({ deep: { a: [1] } })))).toEqual([]);
        // a thread that never ran (values null) matches no values filter; an empty one is no filter
        expect((await s.threads.search(q({ missing: null }))).total).toBe(0);
        expect((await s.threads.search(q({}))).total).toBe(5);
        expect(
          (await s.threads.search({ ...q({ topic: "cats" }), metadata: { graph_id: "a" }, status: "error" })).total,
        ).toBe(1);
      });

      it("count is search's total for the same filters, scope included", async () => {
        await seed();
        await s.threads.update("t1", { values: { topic: "cats" } });
        expect(await s.threads.count({})).toBe(5);
        expect(await s.threads.count({ metadata: { graph_id: "a" } })).toBe(3);
        expect(await s.threads.count({ metadata: { graph_id: "a" }, status: "idle" })).toBe(2);
        expect(await s.threads.count({ ids: ["t1", "t2", "zz"] })).toBe(2);
        expect(await s.threads.count({ values: { topic: "cats" } })).toBe(1);
        expect(await s.threads.count({ scope: { owner_id: "alice" } })).toBe(2);
        expect(await s.threads.count({ scope: { owner_id: "alice" }, ids: ["t2", "t5"] })).toBe(0);
        expect(await s.threads.count({ scope: { owner_id: "carol" } })).toBe(0);
        expect(await s.threads.count({ scope: { filters: { graph_id: "b" } } })).toBe(1);
      });

      it("scope.owner_id: only that owner's threads (a thread of no owner is nobody's), in the page and the total", async () => {
        await seed();
        const as = (owner_id: string) => ({ scope: { owner_id }, limit: 10, offset: 0 });
        expect(ids(await s.threads.search(as("alice")))).toEqual(["t4", "t1"]);
        expect(ids(await s.threads.search(as("bob")))).toEqual(["t5", "t2"]);
        expect((await s.threads.search(as("carol"))).total).toBe(0);
        expect((await s.threads.search({ limit: 10, offset: 0 })).total).toBe(5);
        const r = await s.threads.search({
          scope: { owner_id: "alice" },
          metadata: { graph_id: "a" },
          limit: 1,
          offset: 1,
        });
        expect(ids(r)).toEqual(["t1"]);
        expect(r.total).toBe(2);
      });

      it("scope.filters: a value or $eq equals the metadata key, $contains finds it in an array; in page and total", async () => {
        await s.threads.create({
          thread_id: "u1",
          metadata: { org: "acme", teams: ["red", "blue"] },
          owner_id: "alice",
        });
        await s.threads.create({ thread_id: "u2", metadata: { org: "acme", teams: ["blue"] }, owner_id: "bob" });
        await s.threads.create({ thread_id: "u3", metadata: { org: "other", teams: "red" }, owner_id: "alice" });
        const search = (filters: Record<string, unknown>, owner_id?: string) =>
          s.threads.search({ scope: { filters, owner_id }, limit: 10, offset: 0 });
        expect((await search({ org: "acme" })).total).toBe(2);
        expect((await search({ org: { $eq: "acme" } })).total).toBe(2);
        expect(ids(await search({ teams: { $contains: "red" } }))).toEqual(["u1"]); // u3's "red" is no array
        expect(ids(await search({ teams: { $contains: "blue" }, org: "acme" }, "bob"))).toEqual(["u2"]);
        expect((await search({ missing: "x" })).total).toBe(0);
        expect((await s.threads.get("u1", { filters: { org: "acme" } }))?.thread_id).toBe("u1");
        expect(await s.threads.get("u3", { filters: { org: "acme" } })).toBeNull();
        expect(await s.threads.get("u1", { owner_id: "bob" })).toBeNull();
        expect((await s.threads.get("u1", { owner_id: "alice" }))?.thread_id).toBe("u1");
        expect((await s.threads.get("u1", {}))?.thread_id).toBe("u1");
        await expect(search({ org: { $in: ["acme"] } })).rejects.toThrow(/\$in/);
      });

      it("sorts by each column in both directions with thread_id as the tiebreak", async () => {
        await seed();
        expect(ids(await s.threads.search({ sort_by: "created_at", sort_order: "asc", limit: 10, offset: 0 }))).toEqual(
          ["t1", "t2", "t3", "t4", "t5"],
        );
        expect(ids(await s.threads.search({ sort_by: "thread_id", sort_order: "desc", limit: 10, offset: 0 }))).toEqual(
          ["t5", "t4", "t3", "t2", "t1"],
        );
        expect(ids(await s.threads.search({ sort_by: "thread_id", sort_order: "asc", limit: 10, offset: 0 }))).toEqual([
          "t1",
          "t2",
          "t3",
          "t4",
          "t5",
        ]);
        // busy < error < idle(t1,t4) < interrupted
        expect(ids(await s.threads.search({ sort_by: "status", sort_order: "asc", limit: 10, offset: 0 }))).toEqual([
          "t2",
          "t3",
          "t1",
          "t4",
          "t5",
        ]);
        expect(ids(await s.threads.search({ sort_by: "status", sort_order: "desc", limit: 10, offset: 0 }))).toEqual([
          "t5",
          "t4",
          "t1",
          "t3",
          "t2",
        ]);
        await sleep(3);
        await s.threads.update("t2", { metadata: { touched: 1 } });
        expect(ids(await s.threads.search({ sort_by: "updated_at", sort_order: "desc", limit: 2, offset: 0 }))).toEqual(
          ["t2", "t5"],
        );
        expect(ids(await s.threads.search({ sort_by: "updated_at", sort_order: "asc", limit: 10, offset: 0 }))).toEqual(
          ["t1", "t3", "t4", "t5", "t2"],
        );
      });

      it("returns nothing on an empty store", async () => {
        expect(await s.threads.search({ limit: 10, offset: 0 })).toEqual({ items: [], total: 0 });
      });
    });
  });
}
