/**
 * Runs delayed further than a Node timer reaches (`after_seconds` above 2,147,483 s, 2^31-1 ms): they
 * wait, pending, without the queue spinning on a timer that overflowed to 1 ms; runs due soon still start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

let t: TestServer;
/** Timers armed past 2^31-1 ms: Node warns and fires them after 1 ms instead, each time. */
const overflows: Error[] = [];
const onWarning = (warning: Error) => {
  if (warning.name === "TimeoutOverflowWarning") overflows.push(warning);
};

beforeAll(async () => {
  process.on("warning", onWarning);
  t = await startTestServer();
});
afterAll(async () => {
  process.off("warning", onWarning);
  await t?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("after_seconds beyond a timer's reach", () => {
  it("a run due in 116 days stays pending and arms no overflowing timer; a run due soon still starts", async () => {
    overflows.length = 0;
    const far = await t.client.threads.create();
    const farRun = await t.client.runs.create(far.thread_id, "two_node", {
      input: { value: [] },
      afterSeconds: 10_000_000,
    });
    const near = await t.client.threads.create();
    const nearRun = await t.client.runs.create(near.thread_id, "two_node", {
      input: { value: [] },
      afterSeconds: 1,
    });
    // The near run starts and ends while the far one waits.
    await waitFor(async () => (await t.client.runs.get(near.thread_id, nearRun.run_id)).status === "success");
    // A second of watching: an overflowed timer would have fired (and warned) hundreds of times by now.
    await sleep(1_000);
    expect(overflows.length, overflows[0]?.message).toBe(0);
    expect((await t.client.runs.get(far.thread_id, farRun.run_id)).status).toBe("pending");
    expect((await t.client.threads.get(far.thread_id)).status).toBe("busy");

    // It can still be cancelled while it waits; the thread settles.
    const cancelled = await http(t.url, "POST", `/threads/${far.thread_id}/runs/${farRun.run_id}/cancel?wait=1`);
    expect(cancelled.status).toBe(204);
    expect((await t.client.runs.get(far.thread_id, farRun.run_id)).status).toBe("interrupted");
    expect((await t.client.threads.get(far.thread_id)).status).toBe("idle");
  });

  it("a far-future run queued behind a running one waits for its own time, not the timer's", async () => {
    overflows.length = 0;
    const thread = await t.client.threads.create();
    const first = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 2, step_ms: 50 } },
    });
    const later = await t.client.runs.create(thread.thread_id, "two_node", {
      input: { value: [] },
      afterSeconds: 3_000_000,
      multitaskStrategy: "enqueue",
    });
    await waitFor(async () => (await t.client.runs.get(thread.thread_id, first.run_id)).status === "success");
    await sleep(500);
    expect(overflows.length, overflows[0]?.message).toBe(0);
    expect((await t.client.runs.get(thread.thread_id, later.run_id)).status).toBe("pending");
    await t.client.runs.cancel(thread.thread_id, later.run_id, true);
  });
});
