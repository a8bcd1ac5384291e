/** Stateless runs (temporary threads), batches, cancelling many runs, deleting a run. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const hello = { messages: [{ role: "user", content: "hi" }] };

describe("stateless runs", () => {
  it("runs.wait without a thread returns the values and deletes its temporary thread", async () => {
    const res = await http(t.url, "POST", "/runs/wait", { assistant_id: "two_node", input: { value: [] } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ value: ["first", "second"] });
    const location = res.headers.get("content-location")!;
    expect(location).toMatch(/^\/runs\/[0-9a-f-]{36}$/);
    const sdkValues = await t.client.runs.wait(null, "echo", { input: hello });
    expect((sdkValues as { messages: unknown[] }).messages).toHaveLength(2);
  });

  it("on_completion: delete (default) removes the thread; keep leaves it", async () => {
    const deleted = await t.client.runs.create(null, "two_node", { input: { value: [] } });
    await waitFor(async () => (await http(t.url, "GET", `/threads/${deleted.thread_id}`)).status === 404);

    const kept = await t.client.runs.create(null, "two_node", { input: { value: [] }, onCompletion: "keep" as never });
    await waitFor(async () => (await t.client.runs.get(kept.thread_id, kept.run_id)).status === "success");
    const state = await t.client.threads.getState(kept.thread_id);
    expect(state.values).toEqual({ value: ["first", "second"] });
  });

  it("runs.stream without a thread streams the run without id lines", async () => {
    const res = await fetch(`${t.url}/runs/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "two_node", input: { value: [] }, stream_mode: ["updates"] }),
    });
    expect(res.headers.get("content-location")).toMatch(/^\/runs\/[0-9a-f-]{36}$/);
    const text = await res.text();
    expect(text).not.toMatch(/^id:/m);
    const events = [...text.matchAll(/^event: (.*)$/gm)].map((m) => m[1]);
    expect(events).toEqual(["metadata", "updates", "updates"]);

    const chunks: string[] = [];
    for await (const c of t.client.runs.stream(null, "two_node", { input: { value: [] }, streamMode: "values" })) {
      chunks.push(c.event);
    }
    expect(chunks).toEqual(["metadata", "values", "values", "values"]);
  });

  it("a stateless run can be joined by run id", async () => {
    const run = await t.client.runs.create(null, "slow", {
      input: {},
      streamMode: ["custom"],
      onCompletion: "keep" as never, // the SDK types only the cron values
      config: { configurable: { total_steps: 3, step_ms: 30 } },
    });
    const chunks = [];
    for await (const c of t.client.runs.joinStream(null, run.run_id)) chunks.push(c);
    expect(chunks.filter((c) => c.event === "custom").map((c) => c.data)).toEqual([
      { step: 1 },
      { step: 2 },
      { step: 3 },
    ]);
  });

  it("runs.batch creates one run per element, and one bad element fails all of them", async () => {
    const res = await http(t.url, "POST", "/runs/batch", [
      { assistant_id: "two_node", input: { value: [] }, on_completion: "keep" },
      { assistant_id: "echo", input: hello, on_completion: "keep" },
    ]);
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(2);
    for (const run of res.json) {
      await waitFor(async () => (await t.client.runs.get(run.thread_id, run.run_id)).status === "success");
    }
    const bad = await http(t.url, "POST", "/runs/batch", [
      { assistant_id: "two_node", input: { value: [] } },
      { assistant_id: "no-such-graph" },
    ]);
    expect(bad.status).toBe(422);
    expect(bad.json.detail[0].loc).toEqual(["body", 1, "assistant_id"]);
    const wrongType = await http(t.url, "POST", "/runs/batch", [{ assistant_id: 7 }]);
    expect(wrongType.status).toBe(422);
    expect(wrongType.json.detail[0].loc).toEqual(["body", 0, "assistant_id"]);
  });
});

describe("cancelling many runs", () => {
  it("POST /runs/cancel stops the listed runs, or all active runs of a thread", async () => {
    const a = await t.client.threads.create();
    const b = await t.client.threads.create();
    const slow = { input: {}, config: { configurable: { total_steps: 30, step_ms: 50 } } };
    const runA = await t.client.runs.create(a.thread_id, "slow", slow);
    const runB = await t.client.runs.create(b.thread_id, "slow", slow);
    const queuedB = await t.client.runs.create(b.thread_id, "slow", { ...slow, multitaskStrategy: "enqueue" });

    const byIds = await http(t.url, "POST", "/runs/cancel?action=interrupt", { run_ids: [runA.run_id] });
    expect(byIds.status).toBe(204);
    expect((await t.client.runs.get(a.thread_id, runA.run_id)).status).toBe("interrupted");
    expect((await t.client.runs.get(b.thread_id, runB.run_id)).status).toMatch(/pending|running/);

    await t.client.runs.cancelMany({ threadId: b.thread_id, action: "interrupt" });
    expect((await t.client.runs.get(b.thread_id, runB.run_id)).status).toBe("interrupted");
    expect((await t.client.runs.get(b.thread_id, queuedB.run_id)).status).toBe("interrupted");

    const unknown = await http(t.url, "POST", "/runs/cancel", { run_ids: ["00000000-0000-4000-8000-000000000000"] });
    expect(unknown.status).toBe(404);
    const empty = await http(t.url, "POST", "/runs/cancel", {});
    expect(empty.status).toBe(422);
  });
});

describe("deleting a run", () => {
  it("removes a finished run; an active one is 409", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 50 } },
    });
    const busy = await http(t.url, "DELETE", `/threads/${thread.thread_id}/runs/${run.run_id}`);
    expect(busy.status).toBe(409);
    await t.client.runs.cancel(thread.thread_id, run.run_id, true);
    await t.client.runs.delete(thread.thread_id, run.run_id);
    await expect(t.client.runs.get(thread.thread_id, run.run_id)).rejects.toThrow(/404/);
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
  });
});
