/** Cancelling runs: interrupt keeps progress, rollback restores the pre-run state. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

type SlowState = { steps?: string[] };

async function steps(threadId: string): Promise<string[]> {
  const state = await t.client.threads.getState<SlowState>(threadId);
  return (state.values as SlowState).steps ?? [];
}

function slowRun(threadId: string, totalSteps: number, stepMs: number) {
  return t.client.runs.create(threadId, "slow", {
    input: {},
    config: { configurable: { total_steps: totalSteps, step_ms: stepMs } },
  });
}

describe("cancel", () => {
  it("interrupt stops a running graph, keeps its checkpoints, and answers 204 with wait", async () => {
    const thread = await t.client.threads.create();
    const run = await slowRun(thread.thread_id, 20, 100);
    await waitFor(async () => (await steps(thread.thread_id)).length >= 2);

    const res = await http(
      t.url,
      "POST",
      `/threads/${thread.thread_id}/runs/${run.run_id}/cancel?wait=1&action=interrupt`,
    );
    expect(res.status).toBe(204);

    const stopped = await t.client.runs.get(thread.thread_id, run.run_id);
    expect(stopped.status).toBe("interrupted");
    const kept = await steps(thread.thread_id);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(20);
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("idle");

    // Nothing keeps running after the cancel.
    await new Promise((r) => setTimeout(r, 300));
    expect(await steps(thread.thread_id)).toEqual(kept);
  });

  it("rollback restores the thread to its state before the run", async () => {
    const thread = await t.client.threads.create();
    const first = await slowRun(thread.thread_id, 2, 5);
    await t.client.runs.join(thread.thread_id, first.run_id);
    expect(await steps(thread.thread_id)).toEqual(["step-1", "step-2"]);

    const second = await slowRun(thread.thread_id, 30, 60);
    await waitFor(async () => (await steps(thread.thread_id)).length >= 4);
    await t.client.runs.cancel(thread.thread_id, second.run_id, true, "rollback");

    expect(await steps(thread.thread_id)).toEqual(["step-1", "step-2"]);
    const history = await t.client.threads.getHistory(thread.thread_id, { limit: 100 });
    expect(history.every((s) => (s.metadata as { run_id?: string } | null)?.run_id !== second.run_id)).toBe(true);
    const rolledBack = await t.client.runs.get(thread.thread_id, second.run_id);
    expect(rolledBack.status).toBe("error");
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("idle");
  });

  it("without wait the cancel is accepted with 202 and the run stops shortly after", async () => {
    const thread = await t.client.threads.create();
    const run = await slowRun(thread.thread_id, 20, 100);
    await waitFor(async () => (await t.client.runs.get(thread.thread_id, run.run_id)).status === "running");
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/${run.run_id}/cancel?wait=0`);
    expect(res.status).toBe(202);
    await waitFor(async () => (await t.client.runs.get(thread.thread_id, run.run_id)).status === "interrupted");
  });

  it("cancelling again is idempotent; cancelling a finished run is 409; unknown run 404", async () => {
    const thread = await t.client.threads.create();
    const run = await slowRun(thread.thread_id, 20, 100);
    await t.client.runs.cancel(thread.thread_id, run.run_id, true);
    const again = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/${run.run_id}/cancel?wait=1`);
    expect(again.status).toBe(204);

    const done = await slowRun(thread.thread_id, 1, 1);
    await t.client.runs.join(thread.thread_id, done.run_id);
    const finished = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/${done.run_id}/cancel`);
    expect(finished.status).toBe(409);
    expect(finished.json.detail).toMatch(/not cancellable/);

    const unknown = await http(
      t.url,
      "POST",
      `/threads/${thread.thread_id}/runs/00000000-0000-4000-8000-000000000000/cancel`,
    );
    expect(unknown.status).toBe(404);
  });

  it("POST …/stream with action cancels and then hands back the rest of the stream (the stop button)", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      streamMode: ["custom"],
      config: { configurable: { total_steps: 20, step_ms: 100 } },
    });
    await waitFor(async () => (await steps(thread.thread_id)).length >= 1);
    const res = await fetch(`${t.url}/threads/${thread.thread_id}/runs/${run.run_id}/stream?action=interrupt&wait=1`, {
      method: "POST",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const body = await res.text();
    expect(body.startsWith("event: metadata")).toBe(true);
    expect(body).not.toContain("event: end"); // the response is finished (text() resolved), with no `end` event
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("interrupted");
  });
});
