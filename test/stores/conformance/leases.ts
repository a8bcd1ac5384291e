/**
 * RunLeaseStore (src/stores/leases.ts): claims (one running run per thread), heartbeats, requested
 * cancels, the takeover of runs whose lease expired (requeued, exhausted or cancelled), hand-backs, the
 * threads with work waiting, the fencing of a run's end (and, where processes share the database, of
 * its stream events) by epoch, and claims and takeovers racing from two sets of stores on the same data
 * (as two processes). Leases are short and the tests wait for real. Run by `describeStoreConformance`
 * (index.ts) on a fresh set of stores per test.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewRun, RunEnd, Stores } from "../../../src/stores/types.ts";
import { entry, ev, newRun, sleep } from "./helpers.ts";

const busy = { status: "busy" as const, metadata: { graph_id: "g" } };
const reclaimOpts = { maxAttempts: 3, failure: "RunAttemptsExhausted", rolledBack: "RolledBack" };

export interface LeaseSuiteOptions {
  /** A stream event with a stale epoch is not stored (processes share the database: Postgres). */
  fencesStreamEvents: boolean;
}

export function describeRunLeaseStore(
  stores: () => Stores,
  twin: () => Promise<Stores>,
  opts: LeaseSuiteOptions,
): void {
  describe("RunLeaseStore", () => {
    let s: Stores;
    const twins: Stores[] = [];
    beforeEach(async () => {
      s = stores();
      await s.threads.create({ thread_id: "t1", metadata: {} });
      await s.threads.create({ thread_id: "t2", metadata: {} });
    });
    afterEach(async () => {
      for (const other of twins.splice(0)) if (other !== s) await other.close();
    });

    /** Admits a pending run on its (existing or new) thread. */
    const admit = async (runId: string, threadId: string, extra: Partial<NewRun> = {}) => {
      const out = await s.lifecycle.admit(newRun(runId, threadId, extra), busy, {
        ifIdle: false,
        createThread: { metadata: {} },
      });
      expect(out.run).toMatchObject({ run_id: runId });
      return out.run!;
    };
    /** Admits a run already claimed by `worker`, its lease expiring in `ms`. */
    const held = (runId: string, threadId: string, worker = "w1", ms = 2000) =>
      admit(runId, threadId, { status: "running", lease: { worker_id: worker, lease_ms: ms } });
    const end = (runId: string, threadId: string, epoch: number): RunEnd => ({
      run_id: runId,
      thread_id: threadId,
      from: ["pending", "running"],
      to: "success",
      patch: {},
      journal: [entry(threadId, runId, "run_end", "trace")],
      thread: () => ({ status: "idle", metadata: { ended_by: epoch } }),
      epoch,
    });

    it("claim makes a pending run running at epoch 1, attempt 1; a second claim of it is null", async () => {
      await admit("r1", "t1");
      expect(await s.leases.leaseOf("r1")).toEqual({
        status: "pending",
        worker_id: null,
        epoch: 0,
        attempt: 1,
        live: false,
      });
      expect(await s.leases.claim("r1", "t1", "w1", 1000)).toEqual({ run_id: "r1", epoch: 1, attempt: 1 });
      expect(await s.runs.get("r1")).toMatchObject({ status: "running", attempt: 1 });
      expect(await s.leases.leaseOf("r1")).toEqual({
        status: "running",
        worker_id: "w1",
        epoch: 1,
        attempt: 1,
        live: true,
      });
      expect(await s.leases.claim("r1", "t1", "w2", 1000)).toBeNull();
      expect(await s.leases.claim("r1", "t2", "w2", 1000)).toBeNull(); // not that thread's run
      expect(await s.leases.claim("nope", "t1", "w2", 1000)).toBeNull();
      expect(await s.leases.leaseOf("r1")).toMatchObject({ worker_id: "w1", epoch: 1 });
      expect(await s.leases.leaseOf("nope")).toBeNull();
    });

    it("a claim while another run of the thread is running is null; another thread's run is claimed", async () => {
      await admit("r1", "t1");
      await admit("r2", "t1");
      await admit("r3", "t2");
      expect(await s.leases.claim("r1", "t1", "w1", 1000)).toMatchObject({ epoch: 1 });
      expect(await s.leases.claim("r2", "t1", "w2", 1000)).toBeNull();
      expect(await s.runs.get("r2")).toMatchObject({ status: "pending" });
      expect(await s.leases.claim("r3", "t2", "w2", 1000)).toMatchObject({ run_id: "r3", epoch: 1 });
      await s.lifecycle.finish(end("r1", "t1", 1));
      expect(await s.leases.claim("r2", "t1", "w2", 1000)).toEqual({ run_id: "r2", epoch: 1, attempt: 1 });
    });

    it("an admission with a lease stores the run held by its worker; a heartbeat keeps it", async () => {
      const run = await held("r1", "t1");
      expect(run).toMatchObject({ status: "running", attempt: 1 });
      expect(await s.leases.leaseOf("r1")).toEqual({
        status: "running",
        worker_id: "w1",
        epoch: 1,
        attempt: 1,
        live: true,
      });
      expect(await s.leases.renew("w1", [{ run_id: "r1", epoch: 1 }], 200)).toEqual({ lost: [], cancels: [] });
      await admit("r2", "t1");
      expect(await s.leases.claim("r2", "t1", "w2", 1000)).toBeNull();
    });

    it("renew extends the leases still held; the others are lost (other worker, epoch, takeover, end)", async () => {
      await held("r1", "t1", "w1", 300);
      await held("r2", "t2", "w1", 300);
      await sleep(200);
      expect(await s.leases.renew("w1", [{ run_id: "r1", epoch: 1 }], 5000)).toEqual({ lost: [], cancels: [] });
      await sleep(200);
      // r1 renewed (its first lease would have run out); r2 expired (400 ms of 300).
      expect(await s.leases.leaseOf("r1")).toMatchObject({ live: true });
      expect(await s.leases.leaseOf("r2")).toMatchObject({ status: "running", live: false });
      expect(await s.leases.renew("w2", [{ run_id: "r1", epoch: 1 }], 200)).toEqual({ lost: ["r1"], cancels: [] });
      expect(await s.leases.renew("w1", [{ run_id: "r1", epoch: 2 }], 200)).toEqual({ lost: ["r1"], cancels: [] });
      expect((await s.leases.reclaimExpired(reclaimOpts)).map((r) => r.run_id)).toEqual(["r2"]);
      expect(
        await s.leases.renew(
          "w1",
          [
            { run_id: "r1", epoch: 1 },
            { run_id: "r2", epoch: 1 },
            { run_id: "gone", epoch: 1 },
          ],
          200,
        ),
      ).toEqual({ lost: ["r2", "gone"], cancels: [] });
      await s.lifecycle.finish(end("r1", "t1", 1));
      expect(await s.leases.renew("w1", [{ run_id: "r1", epoch: 1 }], 200)).toEqual({ lost: ["r1"], cancels: [] });
      expect(await s.leases.renew("w1", [], 200)).toEqual({ lost: [], cancels: [] });
    });

    it("requestCancel is seen by the run's worker at its next heartbeat; null unless running", async () => {
      await held("r1", "t1", "w1", 5000);
      await admit("r2", "t2");
      expect(await s.leases.requestCancel("r1", "rollback")).toEqual({
        status: "running",
        worker_id: "w1",
        epoch: 1,
        attempt: 1,
        live: true,
      });
      expect(await s.leases.renew("w1", [{ run_id: "r1", epoch: 1 }], 5000)).toEqual({
        lost: [],
        cancels: [{ run_id: "r1", action: "rollback" }],
      });
      expect(await s.leases.requestCancel("r2", "interrupt")).toBeNull();
      expect(await s.leases.requestCancel("nope", "interrupt")).toBeNull();
    });

    it("reclaimExpired requeues an expired run at attempt 2 with a new epoch; the old worker's end is fenced", async () => {
      await held("r1", "t1", "w1", 100);
      await held("r2", "t2", "w1", 60_000);
      await sleep(150);
      expect(await s.leases.reclaimExpired(reclaimOpts)).toEqual([
        { run_id: "r1", thread_id: "t1", outcome: "requeued", cancel: null, attempt: 1 },
      ]);
      expect(await s.runs.get("r1")).toMatchObject({ status: "pending", attempt: 2 });
      const lease = (await s.leases.leaseOf("r1"))!;
      expect(lease).toMatchObject({ status: "pending", worker_id: null, attempt: 2, live: false });
      expect(lease.epoch).toBeGreaterThan(1);
      expect(await s.leases.reclaimExpired(reclaimOpts)).toEqual([]); // once
      // The stalled worker ends the run at its old epoch: nothing moves, the thread and journal are left.
      const threadBefore = await s.threads.get("t1");
      expect(await s.lifecycle.finish(end("r1", "t1", 1))).toMatchObject({ status: "pending", attempt: 2 });
      expect(await s.threads.get("t1")).toEqual(threadBefore);
      expect((await s.journal.listRunEvents("r1", { limit: 10 })).data).toEqual([]);
      // Its new worker's end moves it.
      const claimed = (await s.leases.claim("r1", "t1", "w2", 1000))!;
      expect(claimed).toMatchObject({ run_id: "r1", attempt: 2 });
      expect(claimed.epoch).toBeGreaterThan(lease.epoch);
      expect(await s.lifecycle.finish(end("r1", "t1", claimed.epoch))).toMatchObject({ status: "success" });
      expect(await s.threads.get("t1")).toMatchObject({ status: "idle", metadata: { ended_by: claimed.epoch } });
      expect((await s.journal.listRunEvents("r1", { limit: 10 })).data).toHaveLength(1);
    });

    it("reclaimExpired ends a run as exhausted once it has had maxAttempts attempts", async () => {
      await held("r1", "t1", "w1", 50);
      await sleep(100);
      const opts2 = { ...reclaimOpts, maxAttempts: 2 };
      expect(await s.leases.reclaimExpired(opts2)).toMatchObject([{ run_id: "r1", outcome: "requeued", attempt: 1 }]);
      expect(await s.leases.claim("r1", "t1", "w2", 50)).toMatchObject({ attempt: 2 });
      await sleep(100);
      expect(await s.leases.reclaimExpired(opts2)).toEqual([
        { run_id: "r1", thread_id: "t1", outcome: "exhausted", cancel: null, attempt: 2 },
      ]);
      expect(await s.runs.get("r1")).toMatchObject({
        status: "error",
        error: "RunAttemptsExhausted",
        stop_reason: "lease_expired",
        attempt: 2,
      });
      expect(await s.leases.leaseOf("r1")).toMatchObject({ status: "error", worker_id: null, live: false });
      expect(await s.leases.reclaimExpired(opts2)).toEqual([]);
    });

    it("reclaimExpired carries out a cancel requested of an expired run instead of resuming it", async () => {
      await held("r1", "t1", "w1", 50);
      await held("r2", "t2", "w1", 50);
      await s.leases.requestCancel("r1", "interrupt");
      await s.leases.requestCancel("r2", "rollback");
      await sleep(100);
      const out = await s.leases.reclaimExpired(reclaimOpts);
      expect(out.sort((a, b) => a.run_id.localeCompare(b.run_id))).toEqual([
        { run_id: "r1", thread_id: "t1", outcome: "cancelled", cancel: "interrupt", attempt: 1 },
        { run_id: "r2", thread_id: "t2", outcome: "cancelled", cancel: "rollback", attempt: 1 },
      ]);
      expect(await s.runs.get("r1")).toMatchObject({ status: "interrupted", error: null });
      expect(await s.runs.get("r2")).toMatchObject({ status: "error", error: "RolledBack" });
    });

    it("reclaimExpired with all takes unexpired runs too; a running run without a lease counts as expired", async () => {
      await held("r1", "t1", "w1", 60_000);
      await admit("r2", "t2");
      await s.runs.transition("r2", ["pending"], "running"); // as a version without leases left it
      await admit("r3", "t3");
      expect(await s.leases.reclaimExpired(reclaimOpts)).toMatchObject([{ run_id: "r2", outcome: "requeued" }]);
      expect(await s.leases.reclaimExpired({ ...reclaimOpts, all: true })).toMatchObject([
        { run_id: "r1", outcome: "requeued", attempt: 1 },
      ]);
      expect(await s.runs.get("r1")).toMatchObject({ status: "pending", attempt: 2 });
      expect(await s.runs.get("r3")).toMatchObject({ status: "pending", attempt: 1 });
    });

    it("handBack returns a held run to pending with its epoch; false unless the worker holds it at that epoch", async () => {
      await held("r1", "t1", "w1", 60_000);
      expect(await s.leases.handBack("w2", { run_id: "r1", epoch: 1 })).toBe(false);
      expect(await s.leases.handBack("w1", { run_id: "r1", epoch: 2 })).toBe(false);
      expect(await s.leases.handBack("w1", { run_id: "nope", epoch: 1 })).toBe(false);
      expect(await s.leases.handBack("w1", { run_id: "r1", epoch: 1 })).toBe(true);
      expect(await s.leases.leaseOf("r1")).toMatchObject({ status: "pending", worker_id: null, epoch: 1, live: false });
      expect(await s.leases.handBack("w1", { run_id: "r1", epoch: 1 })).toBe(false);
      expect(await s.leases.renew("w1", [{ run_id: "r1", epoch: 1 }], 200)).toEqual({ lost: ["r1"], cancels: [] });
      expect(await s.leases.claim("r1", "t1", "w2", 1000)).toEqual({ run_id: "r1", epoch: 2, attempt: 2 });
    });

    it("threadsWithPending: threads with a pending run and none running, oldest pending run first", async () => {
      await admit("a", "t3");
      await sleep(5);
      await admit("b", "t1");
      await sleep(5);
      await held("c", "t2", "w1", 60_000);
      await admit("d", "t2"); // waits behind a running run
      await admit("e", "t4");
      await s.lifecycle.finish({ ...end("e", "t4", 0), epoch: undefined }); // ended: nothing waits
      await sleep(5);
      await admit("f", "t3");
      expect(await s.leases.threadsWithPending(10)).toEqual(["t3", "t1"]);
      expect(await s.leases.threadsWithPending(1)).toEqual(["t3"]);
      expect(await s.leases.threadsWithPending(0)).toEqual([]);
    });

    it("stream events with an epoch no longer the run's are dropped where processes share the database", async () => {
      await held("r1", "t1", "w1", 50);
      await s.streamEvents.append([{ ...ev("r1", 0), epoch: 1 }]);
      await sleep(100);
      await s.leases.reclaimExpired(reclaimOpts);
      const epoch = (await s.leases.leaseOf("r1"))!.epoch;
      await s.streamEvents.append([{ ...ev("r1", 1), epoch: 1 }, ev("r1", 2), { ...ev("r1", 3), epoch }]);
      const seqs = (await s.streamEvents.list("r1", -1)).map((e) => e.seq);
      expect(seqs).toEqual(opts.fencesStreamEvents ? [0, 2, 3] : [0, 1, 2, 3]);
    });

    it("of two processes claiming a thread's two pending runs at once, one claims", async () => {
      const other = await twin();
      twins.push(other);
      for (let i = 0; i < 50; i++) {
        const thread = `race-${i}`;
        await admit(`a${i}`, thread);
        await admit(`b${i}`, thread);
        const claims = await Promise.all([
          s.leases.claim(`a${i}`, thread, "w1", 60_000),
          other.leases.claim(`b${i}`, thread, "w2", 60_000),
        ]);
        expect(claims.filter((c) => c !== null)).toHaveLength(1);
        const running = (await s.runs.activeForThread(thread)).filter((r) => r.status === "running");
        expect(running).toHaveLength(1);
      }
    });

    it("of two processes reclaiming at once, each expired run is reclaimed once", async () => {
      const other = await twin();
      twins.push(other);
      const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
      for (const [i, id] of ids.entries()) await held(id, `rt${i}`, "dead", 50);
      await sleep(100);
      const [mine, theirs] = await Promise.all([
        s.leases.reclaimExpired(reclaimOpts),
        other.leases.reclaimExpired(reclaimOpts),
      ]);
      const reclaimed = [...mine, ...theirs].map((r) => r.run_id).sort();
      expect(reclaimed).toEqual([...ids].sort());
      for (const id of ids) expect(await s.runs.get(id)).toMatchObject({ status: "pending", attempt: 2 });
    });
  });
}
