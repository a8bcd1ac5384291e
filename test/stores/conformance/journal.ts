/**
 * JournalStore: append with thread-global seqs, and the message and event pages.
 * Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { NewJournalEntry, Stores } from "../../../src/stores/types.ts";
import { ISO_MS, newRun, entry } from "./helpers.ts";

export function describeJournalStore(stores: () => Stores): void {
  describe("JournalStore", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    beforeEach(async () => {
      for (const t of ["t1", "t2"]) await s.threads.create({ thread_id: t, metadata: {} });
      await s.runs.insert(newRun("r1", "t1", { status: "success" }));
      await s.runs.insert(newRun("r2", "t1", { status: "success" }));
      await s.runs.insert(newRun("x1", "t2", { status: "success" }));
    });

    it("append assigns thread-global increasing seqs and round-trips every field", async () => {
      const contents: unknown[] = [{ type: "human", content: "hi" }, "plain text", 42, null, [1, { a: 2 }], true];
      const out = await s.journal.append(
        contents.map((c, i) => entry("t1", i < 3 ? "r1" : "r2", `e${i}`, i % 2 ? "trace" : "message", c, { i })),
      );
      expect(out.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      out.forEach((e, i) => {
        expect(e).toEqual({
          thread_id: "t1",
          run_id: i < 3 ? "r1" : "r2",
          seq: i + 1,
          event_type: `e${i}`,
          category: i % 2 ? "trace" : "message",
          content: contents[i],
          metadata: { i },
          created_at: expect.stringMatching(ISO_MS),
        });
      });
      const events = [
        ...(await s.journal.listRunEvents("r1", { limit: 10 })).data,
        ...(await s.journal.listRunEvents("r2", { limit: 10 })).data,
      ];
      expect(events).toEqual(out);

      // seqs continue across calls; other threads have their own sequence
      const more = await s.journal.append([
        entry("t2", "x1", "run.start", "trace"),
        entry("t1", "r2", "run.end", "outputs"),
        entry("t2", "x1", "run.end", "outputs"),
      ]);
      expect(more.map((e) => [e.thread_id, e.seq])).toEqual([
        ["t2", 1],
        ["t1", 7],
        ["t2", 2],
      ]);
      expect(await s.journal.append([])).toEqual([]);
    });

    it("concurrent appends never reuse a seq", async () => {
      const batches = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          s.journal.append([entry("t1", "r1", `a${i}`, "message"), entry("t1", "r1", `b${i}`, "message")]),
        ),
      );
      const seqs = batches.flat().map((e) => e.seq);
      expect(new Set(seqs).size).toBe(20);
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    describe("message pagination", () => {
      // t1: seq 1..12; messages at odd seqs from r1 (1,3,5) and r2 (7,9,11); traces at even seqs
      beforeEach(async () => {
        const batch: NewJournalEntry[] = [];
        for (let i = 1; i <= 12; i++) {
          batch.push(
            entry("t1", i <= 6 ? "r1" : "r2", i % 2 ? "llm.ai.response" : "llm.start", i % 2 ? "message" : "trace", {
              i,
            }),
          );
        }
        await s.journal.append(batch);
        await s.journal.append([entry("t2", "x1", "llm.human.input", "message")]);
      });
      const seqs = (p: { data: { seq: number }[] }) => p.data.map((e) => e.seq);

      it("listThreadMessages without a cursor returns the newest page ascending", async () => {
        const p = await s.journal.listThreadMessages("t1", { limit: 4 });
        expect(seqs(p)).toEqual([5, 7, 9, 11]);
        expect(p.has_more).toBe(true);
        expect(p.data.every((e) => e.category === "message" && e.thread_id === "t1")).toBe(true);
        const all = await s.journal.listThreadMessages("t1", { limit: 6 });
        expect(seqs(all)).toEqual([1, 3, 5, 7, 9, 11]);
        expect(all.has_more).toBe(false);
        expect((await s.journal.listThreadMessages("t1", { limit: 100 })).has_more).toBe(false);
      });

      it("listThreadMessages with before_seq pages backwards", async () => {
        const p = await s.journal.listThreadMessages("t1", { limit: 2, before_seq: 7 });
        expect(seqs(p)).toEqual([3, 5]);
        expect(p.has_more).toBe(true);
        const q = await s.journal.listThreadMessages("t1", { limit: 2, before_seq: 3 });
        expect(seqs(q)).toEqual([1]);
        expect(q.has_more).toBe(false);
        const r = await s.journal.listThreadMessages("t1", { limit: 2, before_seq: 5 });
        expect(seqs(r)).toEqual([1, 3]);
        expect(r.has_more).toBe(false);
      });

      it("listThreadMessages with after_seq pages forwards, oldest first", async () => {
        const p = await s.journal.listThreadMessages("t1", { limit: 2, after_seq: 0 });
        expect(seqs(p)).toEqual([1, 3]);
        expect(p.has_more).toBe(true);
        const q = await s.journal.listThreadMessages("t1", { limit: 2, after_seq: 5 });
        expect(seqs(q)).toEqual([7, 9]);
        expect(q.has_more).toBe(true);
        const r = await s.journal.listThreadMessages("t1", { limit: 2, after_seq: 8 });
        expect(seqs(r)).toEqual([9, 11]);
        expect(r.has_more).toBe(false);
        const e = await s.journal.listThreadMessages("t1", { limit: 2, after_seq: 11 });
        expect(e).toEqual({ data: [], has_more: false });
      });

      it("listThreadMessages is scoped to the thread", async () => {
        const p = await s.journal.listThreadMessages("t2", { limit: 10 });
        expect(p.data.map((e) => [e.run_id, e.seq])).toEqual([["x1", 1]]);
        expect(await s.journal.listThreadMessages("nope", { limit: 10 })).toEqual({ data: [], has_more: false });
      });

      it("listRunMessages pages one run's messages the same way", async () => {
        const newest = await s.journal.listRunMessages("r2", { limit: 2 });
        expect(seqs(newest)).toEqual([9, 11]);
        expect(newest.has_more).toBe(true);
        const older = await s.journal.listRunMessages("r2", { limit: 2, before_seq: 9 });
        expect(seqs(older)).toEqual([7]);
        expect(older.has_more).toBe(false);
        const fwd = await s.journal.listRunMessages("r1", { limit: 2, after_seq: 1 });
        expect(seqs(fwd)).toEqual([3, 5]);
        expect(fwd.has_more).toBe(false);
        const all = await s.journal.listRunMessages("r1", { limit: 10 });
        expect(seqs(all)).toEqual([1, 3, 5]);
        expect(all.data.every((e) => e.run_id === "r1" && e.category === "message")).toBe(true);
        expect(all.has_more).toBe(false);
      });

      it("lastMessageSeqs gives each run's last message of a type, over the whole run", async () => {
        // A trace of that type after the last message does not count: messages only.
        await s.journal.append([
          entry("t1", "r2", "llm.ai.response", "trace"),
          entry("t1", "r2", "llm.human.input", "message"),
        ]);
        const last = await s.journal.lastMessageSeqs(["r1", "r2", "x1", "nope"], "llm.ai.response");
        expect([...last.entries()].sort()).toEqual([
          ["r1", 5],
          ["r2", 11],
        ]);
        expect(await s.journal.lastMessageSeqs(["x1"], "llm.human.input")).toEqual(new Map([["x1", 1]]));
        expect((await s.journal.lastMessageSeqs([], "llm.ai.response")).size).toBe(0);
      });

      it("listRunEvents returns every category ascending, with after_seq, limit and event_types", async () => {
        const all = await s.journal.listRunEvents("r1", { limit: 100 });
        expect(seqs(all)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(all.has_more).toBe(false);
        const first = await s.journal.listRunEvents("r1", { limit: 4 });
        expect(seqs(first)).toEqual([1, 2, 3, 4]);
        expect(first.has_more).toBe(true);
        const next = await s.journal.listRunEvents("r1", { limit: 2, after_seq: 4 });
        expect(seqs(next)).toEqual([5, 6]);
        expect(next.has_more).toBe(false);
        const traces = await s.journal.listRunEvents("r2", { limit: 2, event_types: ["llm.start"] });
        expect(seqs(traces)).toEqual([8, 10]);
        expect(traces.has_more).toBe(true);
        expect(traces.data.every((e) => e.event_type === "llm.start")).toBe(true);
        const both = await s.journal.listRunEvents("r2", {
          limit: 10,
          after_seq: 9,
          event_types: ["llm.start", "llm.ai.response"],
        });
        expect(seqs(both)).toEqual([10, 11, 12]);
        expect((await s.journal.listRunEvents("r2", { limit: 10, event_types: ["nothing"] })).data).toEqual([]);
        expect(await s.journal.listRunEvents("nope", { limit: 10 })).toEqual({ data: [], has_more: false });
      });
    });
  });
}
