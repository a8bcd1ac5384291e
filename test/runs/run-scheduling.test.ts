/** Delayed runs (`after_seconds`) and time slicing; webhooks are in webhooks.test.ts. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe("after_seconds", () => {
  it("a delayed run stays pending until it is due, then runs", async () => {
    const thread = await t.client.threads.create();
    const created = Date.now();
    const run = await t.client.runs.create(thread.thread_id, "two_node", { input: { value: [] }, afterSeconds: 1 });
    await new Promise((r) => setTimeout(r, 400));
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("pending");
    await t.client.runs.join(thread.thread_id, run.run_id);
    expect(Date.now() - created).toBeGreaterThanOrEqual(1000);
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
  });

  it("a delayed run can be cancelled while pending and never executes", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "two_node", { input: { value: [] }, afterSeconds: 1 });
    await t.client.runs.cancel(thread.thread_id, run.run_id, true);
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("interrupted");
    await new Promise((r) => setTimeout(r, 1300));
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("interrupted");
    expect((await t.client.threads.getState(thread.thread_id)).checkpoint).toBeNull();
  });

  it("a delayed run survives a restart", async () => {
    const first = await startTestServer();
    const thread = await first.client.threads.create();
    // Due well after the restart: a server with its graph worker takes ~0.6 s to start, more on a loaded machine.
    const run = await first.client.runs.create(thread.thread_id, "two_node", { input: { value: [] }, afterSeconds: 3 });
    await first.stop();
    const second = await startTestServer({ sqlitePath: first.dbPath });
    closers.push(() => second.close());
    expect((await second.client.runs.get(thread.thread_id, run.run_id)).status).toBe("pending");
    await second.client.runs.join(thread.thread_id, run.run_id);
    expect((await second.client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
    // Its stream goes on from the events stored before the restart: one metadata, ids without gaps.
    const chunks = [];
    for await (const c of second.client.runs.joinStream(thread.thread_id, run.run_id)) chunks.push(c);
    const events = chunks.filter((c) => c.event !== "end");
    expect(events.map((c) => c.event)).toEqual(["metadata", "values", "values", "values"]);
    expect(events.map((c) => (c as { id?: string }).id)).toEqual(["0", "1", "2", "3"]);
  });
});

describe("time slicing", () => {
  it("the server keeps answering while a long run that never waits for I/O executes", async () => {
    // 1,500 synchronous supersteps on the synchronous embedded store: without slicing, the
    // whole run would execute before the server read the next request.
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "countdown", {
      input: { remaining: 1500 },
      config: { recursion_limit: 5000 },
    });
    const seen: string[] = [];
    for (;;) {
      const { status } = await t.client.runs.get(thread.thread_id, run.run_id);
      seen.push(status);
      if (status !== "pending" && status !== "running") break;
    }
    expect(seen.at(-1)).toBe("success");
    // Many answers came while the run was still executing, not one after it was over.
    expect(seen.filter((s) => s === "running").length).toBeGreaterThanOrEqual(5);
    const state = await t.client.threads.getState<{ steps: number }>(thread.thread_id);
    expect(state.values.steps).toBe(1500);
  });

  it("a long run does not hold up the runs started after it", async () => {
    // Oldest first would let one long synchronous run keep every newer run waiting until it ends;
    // a run that has taken many slices goes behind the others.
    const [long, short] = await Promise.all([t.client.threads.create(), t.client.threads.create()]);
    const longRun = await t.client.runs.create(long.thread_id, "countdown", {
      input: { remaining: 3000 },
      config: { recursion_limit: 5000 },
    });
    const shortRun = await t.client.runs.create(short.thread_id, "countdown", { input: { remaining: 20 } });
    await t.client.runs.join(short.thread_id, shortRun.run_id);
    expect((await t.client.runs.get(short.thread_id, shortRun.run_id)).status).toBe("success");
    expect((await t.client.runs.get(long.thread_id, longRun.run_id)).status).toBe("running");
    await t.client.runs.join(long.thread_id, longRun.run_id);
    expect((await t.client.threads.getState<{ steps: number }>(long.thread_id)).values.steps).toBe(3000);
  });

  it("runs that compete for the loop finish oldest first instead of all at the end", async () => {
    // Three synchronous runs on three threads: taking turns round-robin, each would be almost done
    // when the first one ends; taking them oldest first, the newest one has barely started
    // (its checkpointed progress is read).
    const threads = await Promise.all([0, 1, 2].map(() => t.client.threads.create()));
    const runs = [];
    for (const thread of threads) {
      runs.push(
        await t.client.runs.create(thread.thread_id, "countdown", {
          input: { remaining: 800 },
          config: { recursion_limit: 2000 },
        }),
      );
    }
    await t.client.runs.join(threads[0].thread_id, runs[0].run_id);
    const newest = await t.client.threads.getState<{ steps?: number }>(threads[2].thread_id);
    expect(newest.values.steps ?? 0).toBeLessThan(250);
    for (let i = 0; i < 3; i++) await t.client.runs.join(threads[i].thread_id, runs[i].run_id);
    for (const thread of threads) {
      expect((await t.client.threads.getState<{ steps: number }>(thread.thread_id)).values.steps).toBe(800);
    }
  });
});
