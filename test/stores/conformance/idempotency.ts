/**
 * Idempotency keys of RunLifecycleStore: stored with an admission in its transaction, found by the next
 * admission with the key (which then writes nothing), each owner's apart, absent once expired, and one
 * winner among admissions racing with one key, also from two sets of stores on the same data (as two
 * processes). Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IdempotencyClaim, Stores } from "../../../src/stores/types.ts";
import { newRun } from "./helpers.ts";

const busy = { status: "busy" as const, metadata: { graph_id: "g" } };
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();
const claim = (key: string, extra: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
  owner: "alice",
  key,
  hash: "h1",
  expires_at: inADay(),
  ...extra,
});

export function describeIdempotencyKeys(stores: () => Stores, twin: () => Promise<Stores>): void {
  describe("RunLifecycleStore idempotency keys", () => {
    let s: Stores;
    const twins: Stores[] = [];
    beforeEach(async () => {
      s = stores();
      await s.threads.create({ thread_id: "t1", metadata: {} });
    });
    afterEach(async () => {
      for (const other of twins.splice(0)) if (other !== s) await other.close();
    });

    it("admit stores the key with its run; the next admit with it writes nothing and answers what it holds", async () => {
      expect(await s.lifecycle.findKey("alice", "k1")).toBeNull();
      const first = await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: true, idempotency: claim("k1") });
      expect(first.run).toMatchObject({ run_id: "r1" });
      expect(await s.lifecycle.findKey("alice", "k1")).toEqual({ hash: "h1", run_ids: ["r1"] });
      // The key is looked at before the thread: a busy thread is not what a retry is told.
      const again = await s.lifecycle.admit(newRun("r2", "t1"), busy, {
        ifIdle: true,
        idempotency: claim("k1", { hash: "h2" }),
      });
      expect(again).toEqual({ run: null, refused: "key-taken", earlier: { hash: "h1", run_ids: ["r1"] } });
      // Nor is a thread created for it.
      const elsewhere = await s.lifecycle.admit(newRun("r3", "fresh"), busy, {
        ifIdle: true,
        createThread: { metadata: {} },
        idempotency: claim("k1"),
      });
      expect(elsewhere).toMatchObject({ run: null, refused: "key-taken" });
      expect(await s.runs.get("r2")).toBeNull();
      expect(await s.runs.get("r3")).toBeNull();
      expect(await s.threads.get("fresh")).toBeNull();
      expect(await s.runs.activeForThread("t1")).toHaveLength(1);
      // The key stays as the first admission stored it.
      expect(await s.lifecycle.findKey("alice", "k1")).toEqual({ hash: "h1", run_ids: ["r1"] });
    });

    it("keys are each owner's: another owner's key of the same name is another key", async () => {
      await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: false, idempotency: claim("k1") });
      const bobs = await s.lifecycle.admit(newRun("r2", "t1"), busy, {
        ifIdle: false,
        idempotency: claim("k1", { owner: "bob", hash: "other" }),
      });
      expect(bobs.run).toMatchObject({ run_id: "r2" });
      expect(await s.lifecycle.findKey("bob", "k1")).toEqual({ hash: "other", run_ids: ["r2"] });
      expect(await s.lifecycle.findKey("alice", "k1")).toEqual({ hash: "h1", run_ids: ["r1"] });
      expect(await s.lifecycle.findKey("", "k1")).toBeNull();
    });

    it("a refused or failed admission stores no key, so the key admits a run later", async () => {
      await s.lifecycle.admit(newRun("r0", "t1"), busy, { ifIdle: false });
      expect(await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: true, idempotency: claim("k1") })).toEqual({
        run: null,
        refused: "thread-busy",
      });
      expect(await s.lifecycle.admit(newRun("r2", "gone"), busy, { ifIdle: false, idempotency: claim("k1") })).toEqual({
        run: null,
        refused: "thread-missing",
      });
      const bad = newRun("r3", "doomed", { kwargs: { input: 1n } as never });
      await expect(
        s.lifecycle.admit(bad, busy, { ifIdle: false, createThread: {}, idempotency: claim("k1") }),
      ).rejects.toThrow();
      expect(
        await s.lifecycle.admitAll(
          [
            { run: newRun("b1", "new1"), thread: busy, opts: { ifIdle: true, createThread: {} } },
            { run: newRun("b2", "t1"), thread: busy, opts: { ifIdle: true } },
          ],
          { idempotency: claim("k1") },
        ),
      ).toEqual({ runs: null, index: 1, refused: "thread-busy" });
      expect(await s.lifecycle.findKey("alice", "k1")).toBeNull();
      const later = await s.lifecycle.admit(newRun("r4", "t1"), busy, { ifIdle: false, idempotency: claim("k1") });
      expect(later.run).toMatchObject({ run_id: "r4" });
      expect(await s.lifecycle.findKey("alice", "k1")).toEqual({ hash: "h1", run_ids: ["r4"] });
    });

    it("an expired key counts as absent: a new admission takes it over, and a purge deletes it", async () => {
      const past = new Date(Date.now() - 1000).toISOString();
      await s.lifecycle.admit(newRun("r1", "t1"), busy, {
        ifIdle: false,
        idempotency: claim("old", { expires_at: past }),
      });
      await s.lifecycle.admit(newRun("r2", "t1"), busy, { ifIdle: false, idempotency: claim("kept") });
      await s.lifecycle.admit(newRun("r3", "t1"), busy, {
        ifIdle: false,
        idempotency: claim("gone", { expires_at: past }),
      });
      expect(await s.lifecycle.findKey("alice", "old")).toBeNull();
      const over = await s.lifecycle.admit(newRun("r4", "t1"), busy, {
        ifIdle: false,
        idempotency: claim("old", { hash: "h2" }),
      });
      expect(over.run).toMatchObject({ run_id: "r4" });
      expect(await s.lifecycle.findKey("alice", "old")).toEqual({ hash: "h2", run_ids: ["r4"] });
      expect(await s.lifecycle.purgeExpiredKeys(new Date().toISOString())).toBe(1); // "gone"
      expect(await s.lifecycle.findKey("alice", "kept")).toEqual({ hash: "h1", run_ids: ["r2"] });
      expect(await s.lifecycle.findKey("alice", "old")).toEqual({ hash: "h2", run_ids: ["r4"] });
      // A purge counts from the time it is given: a day on, every key here has expired.
      expect(await s.lifecycle.purgeExpiredKeys(new Date(Date.now() + 2 * 86_400_000).toISOString())).toBe(2);
      expect(await s.lifecycle.findKey("alice", "kept")).toBeNull();
    });

    it("admitAll stores one key for the batch, with its runs in order; the batch again writes nothing", async () => {
      const batch = (prefix: string) => [
        { run: newRun(`${prefix}1`, `${prefix}-t1`), thread: busy, opts: { ifIdle: true, createThread: {} } },
        { run: newRun(`${prefix}2`, `${prefix}-t2`), thread: busy, opts: { ifIdle: true, createThread: {} } },
      ];
      const first = await s.lifecycle.admitAll(batch("a"), { idempotency: claim("kb") });
      expect(first.runs?.map((r) => r.run_id)).toEqual(["a1", "a2"]);
      expect(await s.lifecycle.findKey("alice", "kb")).toEqual({ hash: "h1", run_ids: ["a1", "a2"] });
      expect(await s.lifecycle.admitAll(batch("b"), { idempotency: claim("kb") })).toEqual({
        runs: null,
        refused: "key-taken",
        earlier: { hash: "h1", run_ids: ["a1", "a2"] },
      });
      expect(await s.threads.get("b-t1")).toBeNull();
      expect(await s.runs.get("b1")).toBeNull();
      // A single admission finds a batch's key too: a key is one request's, whatever it was.
      expect(
        await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: false, idempotency: claim("kb") }),
      ).toMatchObject({ run: null, refused: "key-taken" });
    });

    it("of many admissions racing with one key, from two sets of stores on the same data, one admits", async () => {
      const other = await twin();
      twins.push(other);
      for (const round of [1, 2]) {
        const key = claim(`race-${round}`);
        // Each on a thread of its own (as stateless runs are), so no thread lock orders them.
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? other : s).lifecycle.admit(newRun(`r${round}-${i}`, `t${round}-${i}`), busy, {
              ifIdle: true,
              createThread: { metadata: {} },
              idempotency: key,
            }),
          ),
        );
        const admitted = results.filter((r) => r.run !== null);
        expect(admitted).toHaveLength(1);
        const winner = admitted[0].run!.run_id;
        for (const r of results)
          if (r.run === null) expect(r).toMatchObject({ refused: "key-taken", earlier: { run_ids: [winner] } });
        expect(await s.lifecycle.findKey("alice", key.key)).toEqual({ hash: "h1", run_ids: [winner] });
        const threads = await s.threads.search({ limit: 100, offset: 0, ids: results.map((_, i) => `t${round}-${i}`) });
        expect(threads.items).toHaveLength(1); // the losers' threads were rolled back with them
      }
      // On one thread, with a batch among them.
      const key = claim("race-same-thread");
      const results = await Promise.all([
        ...Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? other : s).lifecycle.admit(newRun(`same-${i}`, "t1"), busy, { ifIdle: true, idempotency: key }),
        ),
        other.lifecycle.admitAll(
          [{ run: newRun("same-batch", "t-batch"), thread: busy, opts: { ifIdle: true, createThread: {} } }],
          { idempotency: key },
        ),
      ]);
      const made = results.flatMap((r) => ("run" in r ? (r.run ? [r.run] : []) : (r.runs ?? [])));
      expect(made).toHaveLength(1);
      // The others were told the key was taken: not that the thread is busy.
      for (const r of results)
        if (("run" in r ? r.run : r.runs) === null) expect(r).toMatchObject({ refused: "key-taken" });
    });
  });
}
