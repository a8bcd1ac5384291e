/**
 * RunLifecycleStore: admit, admitAll and finish, each one write.
 * Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { RunStatus, Stores } from "../../../src/stores/types.ts";
import { newRun, entry } from "./helpers.ts";

export function describeRunLifecycleStore(stores: () => Stores): void {
  describe("RunLifecycleStore", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    const busy = { status: "busy" as const, metadata: { graph_id: "g" } };

    beforeEach(async () => {
      await s.threads.create({ thread_id: "t1", metadata: { keep: 1 } });
      await s.threads.create({ thread_id: "t2", metadata: {} });
    });

    it("admit inserts the run and patches its thread together", async () => {
      const out = await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: true });
      expect(out.run).toMatchObject({ run_id: "r1", thread_id: "t1", status: "pending" });
      expect(await s.runs.get("r1")).toEqual(out.run);
      expect(await s.threads.get("t1")).toMatchObject({ status: "busy", metadata: { keep: 1, graph_id: "g" } });
    });

    it("admit with ifIdle refuses a busy thread, and nothing of a refused admission is written", async () => {
      await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: true });
      await s.threads.update("t1", { status: "idle" });
      const before = await s.threads.get("t1");
      expect(await s.lifecycle.admit(newRun("r2", "t1"), busy, { ifIdle: true })).toEqual({
        run: null,
        refused: "thread-busy",
      });
      expect(await s.runs.get("r2")).toBeNull();
      expect(await s.threads.get("t1")).toEqual(before);
      expect(await s.lifecycle.admit(newRun("r3", "gone"), busy, { ifIdle: false })).toEqual({
        run: null,
        refused: "thread-missing",
      });
      expect(await s.runs.get("r3")).toBeNull();
      // without ifIdle a second active run is admitted (enqueue, interrupt, rollback)
      expect((await s.lifecycle.admit(newRun("r4", "t1"), busy, { ifIdle: false })).run).toMatchObject({
        run_id: "r4",
      });
      expect(await s.runs.activeForThread("t1")).toHaveLength(2);
    });

    it("admit within a scope refuses another user's thread as missing, busy or not, and never creates over it", async () => {
      await s.threads.create({ thread_id: "owned", metadata: {}, owner_id: "alice" });
      const bob = { scope: { owner_id: "bob" } };
      expect(await s.lifecycle.admit(newRun("r1", "owned"), busy, { ifIdle: false, ...bob })).toEqual({
        run: null,
        refused: "thread-missing",
      });
      await s.lifecycle.admit(newRun("r2", "owned"), busy, { ifIdle: false, scope: { owner_id: "alice" } });
      // busy now, but bob is told it is missing, not busy
      const refused = await s.lifecycle.admit(newRun("r3", "owned"), busy, {
        ifIdle: true,
        createThread: { metadata: {}, owner_id: "bob" },
        ...bob,
      });
      expect(refused).toEqual({ run: null, refused: "thread-missing" });
      expect(await s.runs.get("r1")).toBeNull();
      expect(await s.runs.get("r3")).toBeNull();
      expect(await s.threads.get("owned")).toMatchObject({ owner_id: "alice" });
      // a thread that does not exist is created for the caller within its scope
      const made = await s.lifecycle.admit(newRun("r4", "fresh"), busy, {
        ifIdle: true,
        createThread: { metadata: {}, owner_id: "bob" },
        ...bob,
      });
      expect(made.run).toMatchObject({ run_id: "r4" });
      expect(await s.threads.get("fresh", { owner_id: "bob" })).toMatchObject({ owner_id: "bob" });
    });

    it("admit with ifIdle admits again once the thread's runs have ended, whatever their final status", async () => {
      await s.lifecycle.admit(newRun("r1", "t1", { status: "running" }), busy, { ifIdle: true });
      expect((await s.lifecycle.admit(newRun("r2", "t1"), busy, { ifIdle: true })).run).toBeNull();
      let last = "r1";
      for (const done of ["success", "error", "timeout", "interrupted"] as RunStatus[]) {
        await s.runs.update(last, { status: done });
        const next = await s.lifecycle.admit(newRun(`after-${done}`, "t1", { status: "running" }), busy, {
          ifIdle: true,
        });
        expect(next.run).toMatchObject({ run_id: `after-${done}`, status: "running" });
        last = `after-${done}`;
      }
      // another thread is independent
      expect((await s.lifecycle.admit(newRun("x1", "t2"), busy, { ifIdle: true })).run).not.toBeNull();
    });

    it("admit with ifIdle admits exactly one of many concurrent attempts", async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.lifecycle.admit(newRun(`c${i}`, "t1"), busy, { ifIdle: true })),
      );
      expect(results.filter((r) => r.run !== null)).toHaveLength(1);
      expect(await s.runs.activeForThread("t1")).toHaveLength(1);
    });

    it("admit with createThread creates a missing thread with the run, in one write", async () => {
      const out = await s.lifecycle.admit(newRun("r1", "fresh"), busy, {
        ifIdle: true,
        createThread: { metadata: { made: "here" } },
      });
      expect(out.run).toMatchObject({ run_id: "r1", thread_id: "fresh" });
      expect(await s.threads.get("fresh")).toMatchObject({
        status: "busy",
        metadata: { made: "here", graph_id: "g" },
      });
      // an existing thread is used as it is
      expect((await s.lifecycle.admit(newRun("r2", "t2"), busy, { ifIdle: true, createThread: {} })).run).toMatchObject(
        { run_id: "r2" },
      );
      expect(await s.threads.get("t2")).toMatchObject({ status: "busy", metadata: { graph_id: "g" } });
      // a failing admission leaves no thread behind
      const bad = newRun("r3", "doomed", { kwargs: { input: 1n } as never });
      await expect(s.lifecycle.admit(bad, busy, { ifIdle: false, createThread: {} })).rejects.toThrow();
      expect(await s.threads.get("doomed")).toBeNull();
      expect(await s.runs.get("r3")).toBeNull();
    });

    it("admitAll writes every run with its thread, or none of them", async () => {
      const all = await s.lifecycle.admitAll([
        { run: newRun("b1", "new1"), thread: busy, opts: { ifIdle: true, createThread: {} } },
        { run: newRun("b2", "new2"), thread: busy, opts: { ifIdle: true, createThread: {} } },
        { run: newRun("b3", "t1"), thread: busy, opts: { ifIdle: true } },
      ]);
      expect(all.runs?.map((r) => [r.run_id, r.thread_id])).toEqual([
        ["b1", "new1"],
        ["b2", "new2"],
        ["b3", "t1"],
      ]);
      expect((await s.threads.get("new2"))?.status).toBe("busy");

      const before = await s.threads.search({ limit: 100, offset: 0 });
      // t1 now has an active run: the third request is refused, and the first two are not written either
      expect(
        await s.lifecycle.admitAll([
          { run: newRun("c1", "new3"), thread: busy, opts: { ifIdle: true, createThread: {} } },
          { run: newRun("c2", "t2"), thread: busy, opts: { ifIdle: false } },
          { run: newRun("c3", "t1"), thread: busy, opts: { ifIdle: true } },
        ]),
      ).toEqual({ runs: null, index: 2, refused: "thread-busy" });
      expect(
        await s.lifecycle.admitAll([
          { run: newRun("d1", "new4"), thread: busy, opts: { ifIdle: true, createThread: {} } },
          { run: newRun("d2", "gone"), thread: busy, opts: { ifIdle: false } },
        ]),
      ).toEqual({ runs: null, index: 1, refused: "thread-missing" });
      // a failure (a value the store cannot write) also writes nothing
      await expect(
        s.lifecycle.admitAll([
          { run: newRun("e1", "new5"), thread: busy, opts: { ifIdle: true, createThread: {} } },
          {
            run: newRun("e2", "new6", { kwargs: { input: 1n } as never }),
            thread: busy,
            opts: { ifIdle: true, createThread: {} },
          },
        ]),
      ).rejects.toThrow();
      expect(await s.threads.search({ limit: 100, offset: 0 })).toEqual(before);
      for (const id of ["c1", "c2", "c3", "d1", "d2", "e1", "e2"]) expect(await s.runs.get(id)).toBeNull();
      expect(await s.lifecycle.admitAll([])).toEqual({ runs: [] });
    });

    it("finish appends the journal, ends the run and settles the thread from the runs still active", async () => {
      await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: false });
      await s.lifecycle.admit(newRun("r2", "t1"), busy, { ifIdle: false });
      await s.runs.transition("r1", ["pending"], "running");
      const seen: number[] = [];
      const moves: boolean[] = [];
      const run = await s.lifecycle.finish({
        run_id: "r1",
        thread_id: "t1",
        from: ["running"],
        to: "success",
        patch: { error: null, counters: { total_tokens: 5, message_count: 1 } },
        journal: [entry("t1", "r1", "run.end", "outputs", { status: "success" })],
        thread: (active, moved) => {
          seen.push(active);
          moves.push(moved);
          return { status: active > 0 ? "busy" : "idle", values: { n: active } };
        },
      });
      expect(run).toMatchObject({ run_id: "r1", status: "success", total_tokens: 5, message_count: 1 });
      expect(await s.runs.get("r1")).toEqual(run);
      expect(seen).toEqual([1]); // r2 is still pending; r1 itself no longer counts
      expect(await s.threads.get("t1")).toMatchObject({ status: "busy", values: { n: 1 }, metadata: { keep: 1 } });
      expect((await s.journal.listRunEvents("r1", { limit: 10 })).data.map((e) => e.event_type)).toEqual(["run.end"]);

      // a run whose status had moved on stays as it was; the journal and thread are written all the same
      await s.runs.update("r2", { status: "interrupted" });
      const unchanged = await s.runs.get("r2");
      const r2 = await s.lifecycle.finish({
        run_id: "r2",
        thread_id: "t1",
        from: ["running"],
        to: "error",
        patch: { error: "late" },
        journal: [entry("t1", "r2", "run.end", "outputs")],
        thread: (active, moved) => {
          moves.push(moved);
          return { status: active > 0 ? "busy" : "idle" };
        },
      });
      expect(r2).toEqual(unchanged);
      expect(moves).toEqual([true, false]); // the patch is told whether this end moved the run
      expect((await s.threads.get("t1"))!.status).toBe("idle");
      expect((await s.journal.listRunEvents("r2", { limit: 10 })).data).toHaveLength(1);
    });

    it("finish writes nothing when any part of it fails", async () => {
      await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: true });
      await s.runs.transition("r1", ["pending"], "running");
      const run = await s.runs.get("r1");
      const thread = await s.threads.get("t1");
      await expect(
        s.lifecycle.finish({
          run_id: "r1",
          thread_id: "t1",
          from: ["running"],
          to: "success",
          patch: {},
          journal: [entry("t1", "r1", "run.end", "outputs")],
          thread: () => {
            throw new Error("cannot settle");
          },
        }),
      ).rejects.toThrow("cannot settle");
      expect(await s.runs.get("r1")).toEqual(run);
      expect(await s.threads.get("t1")).toEqual(thread);
      expect((await s.journal.listRunEvents("r1", { limit: 10 })).data).toEqual([]);
    });
  });
}
