/**
 * CronStore: create and read back, scoped reads and writes (another owner's cron does not exist),
 * patch, search and count filters with sort and page, `due`, and the slot claim: a compare-and-set
 * that one of many racing claims wins, alone or inside a run admission (`AdmitOptions.cronSlot`), where
 * a taken slot writes nothing. A thread's crons go with it. Run by `describeStoreConformance`.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { NewCron } from "../../../src/stores/crons.ts";
import type { Stores } from "../../../src/stores/types.ts";
import { ISO_MS, newRun } from "./helpers.ts";

function cron(cron_id: string, extra: Partial<NewCron> = {}): NewCron {
  return {
    cron_id,
    assistant_id: "asst-1",
    thread_id: null,
    schedule: "*/5 * * * *",
    timezone: null,
    end_time: null,
    enabled: true,
    on_run_completed: "delete",
    payload: { input: { x: 1 } },
    metadata: { team: "a" },
    next_run_date: "2026-01-01T00:05:00.000Z",
    user_id: null,
    access: { owner_id: null },
    ...extra,
  };
}

export function describeCronStore(stores: () => Stores): void {
  describe("CronStore", () => {
    let s: Stores;
    beforeEach(async () => {
      s = stores();
      await s.threads.create({ thread_id: "t1", metadata: {} });
    });

    it("create returns the record with timestamps; get reads it back; a missing one is null", async () => {
      const made = await s.crons.create(cron("c1", { thread_id: "t1", on_run_completed: null, timezone: "UTC" }));
      expect(made).toEqual({
        ...cron("c1", { thread_id: "t1", on_run_completed: null, timezone: "UTC" }),
        created_at: expect.stringMatching(ISO_MS),
        updated_at: made.created_at,
      });
      expect(await s.crons.get("c1")).toEqual(made);
      expect(await s.crons.get("nope")).toBeNull();
    });

    it("another owner's cron does not exist for get, update and delete; the owner's does", async () => {
      await s.crons.create(cron("c1", { user_id: "alice" }));
      const bob = { owner_id: "bob" };
      expect(await s.crons.get("c1", bob)).toBeNull();
      expect(await s.crons.update("c1", { enabled: false }, bob)).toBeNull();
      expect(await s.crons.delete("c1", bob)).toBe(false);
      expect(await s.crons.get("c1", { owner_id: "alice" })).toMatchObject({ enabled: true });
      // Auth filters apply to the cron's metadata.
      expect(await s.crons.get("c1", { filters: { team: "b" } })).toBeNull();
      expect(await s.crons.get("c1", { filters: { team: "a" } })).not.toBeNull();
      expect(await s.crons.delete("c1", { owner_id: "alice" })).toBe(true);
      expect(await s.crons.get("c1")).toBeNull();
    });

    it("update writes only the given fields (null too) and moves updated_at", async () => {
      const made = await s.crons.create(cron("c1", { end_time: "2027-01-01T00:00:00.000Z" }));
      const updated = await s.crons.update("c1", {
        schedule: "0 * * * *",
        end_time: null,
        enabled: false,
        metadata: { team: "b" },
        payload: { input: { x: 2 } },
      });
      expect(updated).toMatchObject({
        schedule: "0 * * * *",
        end_time: null,
        enabled: false,
        metadata: { team: "b" },
        payload: { input: { x: 2 } },
        next_run_date: made.next_run_date,
        created_at: made.created_at,
      });
      expect(updated!.updated_at >= made.updated_at).toBe(true);
      expect(await s.crons.update("nope", { enabled: true })).toBeNull();
    });

    it("search and count filter by assistant, thread, enabled, metadata and scope; sort and page", async () => {
      await s.crons.create(cron("c1", { thread_id: "t1", user_id: "alice" }));
      await s.crons.create(cron("c2", { assistant_id: "asst-2", next_run_date: "2026-01-01T00:01:00.000Z" }));
      await s.crons.create(cron("c3", { enabled: false, metadata: { team: "b", n: [1] } }));
      const ids = async (q: Parameters<Stores["crons"]["search"]>[0]) =>
        (await s.crons.search(q)).map((c) => c.cron_id);
      expect(await ids({ limit: 10, offset: 0, sort_by: "cron_id", sort_order: "asc" })).toEqual(["c1", "c2", "c3"]);
      expect(await ids({ limit: 10, offset: 0, sort_by: "created_at", sort_order: "desc" })).toEqual([
        "c3",
        "c2",
        "c1",
      ]);
      expect(await ids({ limit: 1, offset: 1, sort_by: "cron_id", sort_order: "asc" })).toEqual(["c2"]);
      expect(await ids({ limit: 10, offset: 0, sort_by: "next_run_date", sort_order: "asc" })).toEqual([
        "c2",
        "c1",
        "c3",
      ]);
      expect(await ids({ limit: 10, offset: 0, assistant_id: "asst-2" })).toEqual(["c2"]);
      expect(await ids({ limit: 10, offset: 0, thread_id: "t1" })).toEqual(["c1"]);
      expect(await ids({ limit: 10, offset: 0, enabled: false })).toEqual(["c3"]);
      expect(await ids({ limit: 10, offset: 0, metadata: { n: [1] } })).toEqual(["c3"]);
      expect(await ids({ limit: 10, offset: 0, scope: { owner_id: "alice" } })).toEqual(["c1"]);
      expect(await s.crons.count({})).toBe(3);
      expect(await s.crons.count({ metadata: { team: "a" } })).toBe(2);
      expect(await s.crons.count({ scope: { owner_id: "bob" } })).toBe(0);
    });

    it("due lists enabled crons due by now, the longest due first, within the limit", async () => {
      await s.crons.create(cron("c1", { next_run_date: "2026-01-01T00:02:00.000Z" }));
      await s.crons.create(cron("c2", { next_run_date: "2026-01-01T00:01:00.000Z" }));
      await s.crons.create(cron("c3", { next_run_date: "2026-01-01T00:01:00.000Z", enabled: false }));
      await s.crons.create(cron("c4", { next_run_date: null }));
      await s.crons.create(cron("c5", { next_run_date: "2026-01-01T00:09:00.000Z" }));
      const due = await s.crons.due("2026-01-01T00:05:00.000Z", 10);
      expect(due.map((c) => c.cron_id)).toEqual(["c2", "c1"]);
      expect((await s.crons.due("2026-01-01T00:05:00.000Z", 1)).map((c) => c.cron_id)).toEqual(["c2"]);
    });

    it("claim is a compare-and-set: of many claims of one slot exactly one wins", async () => {
      await s.crons.create(cron("c1"));
      const slot = { cron_id: "c1", due: "2026-01-01T00:05:00.000Z", next: "2026-01-01T00:10:00.000Z" };
      const won = await Promise.all(Array.from({ length: 50 }, () => s.crons.claim(slot)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect((await s.crons.get("c1"))!.next_run_date).toBe(slot.next);
      expect(await s.crons.claim({ ...slot, cron_id: "nope" })).toBe(false);
    });

    it("an admission with a cron slot claims it with the run; a taken slot is refused and writes nothing", async () => {
      await s.crons.create(cron("c1", { thread_id: "t1" }));
      const slot = { cron_id: "c1", due: "2026-01-01T00:05:00.000Z", next: "2026-01-01T00:10:00.000Z" };
      const first = await s.lifecycle.admit(newRun("r1", "t1"), { status: "busy" }, { ifIdle: false, cronSlot: slot });
      expect(first.run?.run_id).toBe("r1");
      expect((await s.crons.get("c1"))!.next_run_date).toBe(slot.next);
      const second = await s.lifecycle.admit(
        newRun("r2", "t2"),
        { status: "busy" },
        { ifIdle: false, cronSlot: slot, createThread: { metadata: {} } },
      );
      expect(second).toEqual({ run: null, refused: "slot-taken" });
      expect(await s.runs.get("r2")).toBeNull();
      expect(await s.threads.get("t2")).toBeNull(); // the thread it would have created is not there either
      // Claimed, then refused as busy: the slot stays taken (it is skipped, not retried).
      const next = { cron_id: "c1", due: slot.next, next: "2026-01-01T00:15:00.000Z" };
      const busy = await s.lifecycle.admit(newRun("r3", "t1"), { status: "busy" }, { ifIdle: true, cronSlot: next });
      expect(busy).toEqual({ run: null, refused: "thread-busy" });
      expect((await s.crons.get("c1"))!.next_run_date).toBe(next.next);
    });

    it("deleting a thread deletes its crons, not the stateless ones", async () => {
      await s.crons.create(cron("c1", { thread_id: "t1" }));
      await s.crons.create(cron("c2"));
      await s.threads.delete("t1");
      expect(await s.crons.get("c1")).toBeNull();
      expect(await s.crons.get("c2")).not.toBeNull();
    });
  });
}
