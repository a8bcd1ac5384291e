/**
 * Double-texting: 20 runs created at once on one thread under each multitask
 * strategy. Exactly the expected runs execute, never two at once on a thread,
 * and `enqueue` keeps creation order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Run } from "@langchain/langgraph-sdk";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readTracker } from "../graphs/tracked.ts";

let t: TestServer;
/** Where the `tracked` graph notes each run's start and stop. */
let trackerFile: string;
beforeAll(async () => {
  t = await startTestServer();
  trackerFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-tracker-")), "runs.jsonl");
});
afterAll(async () => {
  await t?.close();
  if (trackerFile) fs.rmSync(path.dirname(trackerFile), { recursive: true, force: true });
});
const runTracker = () => readTracker(trackerFile);

const N = 20;

function createMany(threadId: string, strategy: "reject" | "interrupt" | "rollback" | "enqueue", stepMs: number) {
  return Promise.allSettled(
    Array.from({ length: N }, () =>
      t.client.runs.create(threadId, "tracked", {
        input: {},
        multitaskStrategy: strategy,
        config: { configurable: { step_ms: stepMs, tracker_file: trackerFile } },
      }),
    ),
  );
}

function accepted(results: PromiseSettledResult<Run>[]): Run[] {
  return results.filter((r): r is PromiseFulfilledResult<Run> => r.status === "fulfilled").map((r) => r.value);
}

async function allEnded(threadId: string): Promise<Run[]> {
  return waitFor(async () => {
    const runs = await t.client.runs.list(threadId, { limit: 100 });
    return runs.every((r) => !["pending", "running"].includes(r.status)) ? runs : undefined;
  }, 30_000);
}

async function done(threadId: string): Promise<string[]> {
  const state = await t.client.threads.getState<{ done: string[] }>(threadId);
  return (state.values as { done?: string[] }).done ?? [];
}

describe("multitask strategies", () => {
  it("reject: of 20 concurrent creates exactly one is accepted, the rest are 409", async () => {
    const thread = await t.client.threads.create();
    // The accepted run lasts long enough to overlap every other create.
    const results = await createMany(thread.thread_id, "reject", 2000);
    const ok = accepted(results);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/409/);
    }
    await allEnded(thread.thread_id);
    expect(await done(thread.thread_id)).toEqual([ok[0].run_id]);
    expect(runTracker().maxActive.get(thread.thread_id)).toBe(1);
  });

  it("enqueue: all 20 run, one at a time, in creation order", async () => {
    const thread = await t.client.threads.create();
    const ok = accepted(await createMany(thread.thread_id, "enqueue", 20));
    expect(ok).toHaveLength(N);
    const runs = await allEnded(thread.thread_id);
    expect(runs.every((r) => r.status === "success")).toBe(true);
    const creationOrder = [...runs].sort(
      (a, b) => a.created_at.localeCompare(b.created_at) || a.run_id.localeCompare(b.run_id),
    );
    expect(runTracker().started.get(thread.thread_id)).toEqual(creationOrder.map((r) => r.run_id));
    expect(await done(thread.thread_id)).toEqual(creationOrder.map((r) => r.run_id));
    expect(runTracker().maxActive.get(thread.thread_id)).toBe(1);
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("idle");
  });

  it("interrupt: each newer run interrupts the one in flight; only the newest completes", async () => {
    const thread = await t.client.threads.create();
    const ok = accepted(await createMany(thread.thread_id, "interrupt", 150));
    expect(ok).toHaveLength(N);
    const runs = await allEnded(thread.thread_id);
    const newest = [...runs].sort((a, b) => b.run_id.localeCompare(a.run_id))[0];
    expect(runs.filter((r) => r.status === "success").map((r) => r.run_id)).toEqual([newest.run_id]);
    expect(runs.filter((r) => r.status === "interrupted")).toHaveLength(N - 1);
    expect((await done(thread.thread_id)).at(-1)).toBe(newest.run_id);
    expect(runTracker().maxActive.get(thread.thread_id)).toBe(1);
  });

  it("interrupt keeps the interrupted run's progress and the new run starts from it", async () => {
    const thread = await t.client.threads.create();
    const first = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 60 } },
    });
    await waitFor(async () => {
      const s = await t.client.threads.getState<{ steps?: string[] }>(thread.thread_id);
      return ((s.values as { steps?: string[] }).steps?.length ?? 0) >= 3;
    });
    const second = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      multitaskStrategy: "interrupt",
      config: { configurable: { total_steps: 6, step_ms: 1 } },
    });
    await t.client.runs.join(thread.thread_id, second.run_id);
    expect((await t.client.runs.get(thread.thread_id, first.run_id)).status).toBe("interrupted");
    const state = await t.client.threads.getState<{ steps: string[] }>(thread.thread_id);
    // The first run's steps are kept; the second continued to 6 from where it stopped.
    expect((state.values as { steps: string[] }).steps).toEqual([
      "step-1",
      "step-2",
      "step-3",
      "step-4",
      "step-5",
      "step-6",
    ]);
  });

  it("rollback: runs replaced by a newer one are removed with their checkpoints", async () => {
    const thread = await t.client.threads.create();
    const ok = accepted(await createMany(thread.thread_id, "rollback", 150));
    expect(ok).toHaveLength(N);
    const runs = await allEnded(thread.thread_id);
    const newest = [...ok].sort((a, b) => b.run_id.localeCompare(a.run_id))[0];
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([[newest.run_id, "success"]]);
    expect(await done(thread.thread_id)).toEqual([newest.run_id]);
    expect(runTracker().maxActive.get(thread.thread_id)).toBe(1);
  });

  it("rollback starts the new run from the state before the replaced run", async () => {
    const thread = await t.client.threads.create();
    const before = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 2, step_ms: 1 } },
    });
    await t.client.runs.join(thread.thread_id, before.run_id);
    const replaced = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 30, step_ms: 60 } },
    });
    await waitFor(async () => {
      const s = await t.client.threads.getState<{ steps?: string[] }>(thread.thread_id);
      return ((s.values as { steps?: string[] }).steps?.length ?? 0) >= 4;
    });
    const replacement = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      multitaskStrategy: "rollback",
      config: { configurable: { total_steps: 3, step_ms: 1 } },
    });
    await t.client.runs.join(thread.thread_id, replacement.run_id);
    await expect(t.client.runs.get(thread.thread_id, replaced.run_id)).rejects.toThrow(/404/);
    const state = await t.client.threads.getState<{ steps: string[] }>(thread.thread_id);
    expect((state.values as { steps: string[] }).steps).toEqual(["step-1", "step-2", "step-3"]);
  });
});
