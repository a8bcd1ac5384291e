/**
 * FeedbackStore: one rating per user per run; insert refuses a second, upsert replaces it; listing,
 * stats (of one run and of several) and deletes; a run's (or thread's) delete takes its feedback.
 * Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { NewFeedback } from "../../../src/stores/feedback.ts";
import type { Stores } from "../../../src/stores/types.ts";
import { ISO_MS, newRun } from "./helpers.ts";

function fb(feedback_id: string, run_id: string, user_id: string, extra: Partial<NewFeedback> = {}): NewFeedback {
  return { feedback_id, run_id, thread_id: "t1", user_id, rating: 1, ...extra };
}

export function describeFeedbackStore(stores: () => Stores): void {
  describe("FeedbackStore", () => {
    let s: Stores;
    beforeEach(async () => {
      s = stores();
      await s.threads.create({ thread_id: "t1", metadata: {} });
      await s.runs.insert(newRun("r1", "t1"));
      await s.runs.insert(newRun("r2", "t1"));
    });

    it("insert returns the row; a second by the same user on the same run is null and changes nothing", async () => {
      const row = await s.feedback.insert(fb("f1", "r1", "alice", { comment: "good", message_id: "m1" }));
      expect(row).toEqual({
        feedback_id: "f1",
        run_id: "r1",
        thread_id: "t1",
        user_id: "alice",
        message_id: "m1",
        rating: 1,
        comment: "good",
        created_at: expect.stringMatching(ISO_MS),
        updated_at: row!.created_at,
      });
      expect(await s.feedback.insert(fb("f2", "r1", "alice", { rating: -1 }))).toBeNull();
      expect(await s.feedback.listByRun("r1")).toEqual([row]);
      // Another user, or the same user on another run, is a new row.
      expect(await s.feedback.insert(fb("f3", "r1", "bob", { rating: -1 }))).toMatchObject({ comment: null });
      expect(await s.feedback.insert(fb("f4", "r2", "alice"))).toMatchObject({ message_id: null });
    });

    it("upsert creates, then replaces rating and comment (message_id only when given), keeping id and created_at", async () => {
      const first = await s.feedback.upsert(fb("f1", "r1", "alice", { comment: "meh", message_id: "m1" }));
      expect(first).toMatchObject({ feedback_id: "f1", rating: 1, comment: "meh", message_id: "m1" });
      const second = await s.feedback.upsert(fb("f9", "r1", "alice", { rating: -1, comment: null }));
      expect(second).toMatchObject({ feedback_id: "f1", rating: -1, comment: null, message_id: "m1" });
      expect(second.created_at).toBe(first.created_at);
      expect(await s.feedback.listByRun("r1")).toEqual([second]);
      const third = await s.feedback.upsert(fb("f9", "r1", "alice", { message_id: "m2" }));
      expect(third).toMatchObject({ feedback_id: "f1", rating: 1, message_id: "m2" });
    });

    it("lists a run's rows oldest first, or one user's; forRuns maps a user's rows by run", async () => {
      await s.feedback.insert(fb("f1", "r1", "alice"));
      await s.feedback.insert(fb("f2", "r1", "bob", { rating: -1 }));
      await s.feedback.insert(fb("f3", "r2", "alice", { rating: -1 }));
      expect((await s.feedback.listByRun("r1")).map((f) => f.feedback_id)).toEqual(["f1", "f2"]);
      expect((await s.feedback.listByRun("r1", { user_id: "bob" })).map((f) => f.feedback_id)).toEqual(["f2"]);
      expect(await s.feedback.listByRun("nope")).toEqual([]);
      const mine = await s.feedback.forRuns(["r1", "r2", "nope"], "alice");
      expect([...mine.keys()].sort()).toEqual(["r1", "r2"]);
      expect(mine.get("r2")!.feedback_id).toBe("f3");
      expect((await s.feedback.forRuns([], "alice")).size).toBe(0);
    });

    it("stats count every user's rows on the run", async () => {
      expect(await s.feedback.statsByRun("r1")).toEqual({ total: 0, positive: 0, negative: 0 });
      await s.feedback.insert(fb("f1", "r1", "alice"));
      await s.feedback.insert(fb("f2", "r1", "bob", { rating: -1 }));
      await s.feedback.insert(fb("f3", "r1", "carol"));
      await s.feedback.insert(fb("f4", "r2", "alice", { rating: -1 }));
      expect(await s.feedback.statsByRun("r1")).toEqual({ total: 3, positive: 2, negative: 1 });
      const each = await s.feedback.statsForRuns(["r1", "r2", "nope"]);
      expect(Object.fromEntries(each)).toEqual({
        r1: { total: 3, positive: 2, negative: 1 },
        r2: { total: 1, positive: 0, negative: 1 },
        nope: { total: 0, positive: 0, negative: 0 },
      });
      expect((await s.feedback.statsForRuns([])).size).toBe(0);
    });

    it("deleteByUser and deleteById delete only the caller's row on that run", async () => {
      await s.feedback.insert(fb("f1", "r1", "alice"));
      await s.feedback.insert(fb("f2", "r1", "bob"));
      await s.feedback.insert(fb("f3", "r2", "alice"));
      expect(await s.feedback.deleteById("f2", "r1", "alice")).toBe(false); // bob's
      expect(await s.feedback.deleteById("f3", "r1", "alice")).toBe(false); // another run's
      expect(await s.feedback.deleteById("f3", "r2", "alice")).toBe(true);
      expect(await s.feedback.deleteById("f3", "r2", "alice")).toBe(false);
      expect(await s.feedback.deleteByUser("r1", "alice")).toBe(true);
      expect(await s.feedback.deleteByUser("r1", "alice")).toBe(false);
      expect((await s.feedback.listByRun("r1")).map((f) => f.feedback_id)).toEqual(["f2"]);
    });

    it("deleting a run, or its thread, deletes its feedback", async () => {
      await s.feedback.insert(fb("f1", "r1", "alice"));
      await s.feedback.insert(fb("f2", "r2", "alice"));
      await s.runs.delete("r1");
      expect(await s.feedback.listByRun("r1")).toEqual([]);
      expect(await s.feedback.listByRun("r2")).toHaveLength(1);
      await s.threads.delete("t1");
      expect(await s.feedback.listByRun("r2")).toEqual([]);
      // The run is gone: its id is free of feedback, a new run with it starts with none.
      await s.threads.create({ thread_id: "t1", metadata: {} });
      await s.runs.insert(newRun("r2", "t1"));
      expect(await s.feedback.statsByRun("r2")).toEqual({ total: 0, positive: 0, negative: 0 });
    });
  });
}
