/**
 * Protocol v2 over HTTP (`POST /threads/{id}/commands`, `POST /threads/{id}/stream/events`): through
 * the SDK's own client (`client.threads.stream`, the one `@langchain/react` drives) where a user's view
 * is the point, and on the wire where ids, seq and replays are. Real graphs of test/graphs.
 */
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BaseMessage } from "@langchain/core/messages";
import { defaultOfflineReply } from "../../src/agents/offline-chat-model.ts";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { command, lifecycle, openEvents, type WireEvent, textDeltas } from "./protocol-client.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const hello = (text: string) => ({ messages: [{ type: "human", content: text }] });
const ofRun = (runId: string) => (e: WireEvent) => e.event_id.startsWith(`${runId}:`);
const start = async (threadId: string, params: Record<string, unknown>) => {
  const answer = await command(t.url, threadId, { id: 1, method: "run.start", params });
  expect(answer).toMatchObject({ status: 200, body: { type: "success", id: 1 } });
  return (answer.body.result as { run_id: string }).run_id;
};

describe("run.start through the SDK's protocol client", () => {
  it("creates the thread the client named and streams the answer token by token", async () => {
    const thread = t.client.threads.stream({ assistantId: "echo" });
    const answers = textDeltas(thread);
    const { run_id } = await thread.run.start({ input: hello("hello protocol") });
    const output = (await thread.output) as { messages: BaseMessage[] };
    const reply = defaultOfflineReply("hello protocol");
    await waitFor(async () => answers.some((parts) => parts.join("") === reply));
    // Token by token: many deltas, not one.
    expect(answers.find((parts) => parts.join("") === reply)!.length).toBeGreaterThan(5);
    expect(output.messages.map((m) => [m.type, m.text])).toEqual([
      ["human", "hello protocol"],
      ["ai", reply],
    ]);
    expect((await t.client.threads.get(thread.threadId)).thread_id).toBe(thread.threadId);
    const run = await t.client.runs.get(thread.threadId, run_id!);
    expect(run).toMatchObject({ status: "success", assistant_id: expect.any(String) });
    await thread.close();
  });
});

describe("the thread's event stream", () => {
  it("waits for a thread that does not exist yet; a reconnect replays the run with the same ids; since skips", async () => {
    const threadId = uuidv7();
    const body = { channels: ["values", "lifecycle", "messages"] };
    const first = await openEvents(t.url, threadId, body);
    expect(first.status).toBe(200);
    const runId = await start(threadId, { assistant_id: "echo", input: hello("replay me") });
    await first.until(lifecycle("completed"));
    const ids = first.events.map((e) => e.event_id);
    expect(first.events[0]).toMatchObject({ event_id: `${runId}:0`, method: "lifecycle", params: { namespace: [] } });
    expect(first.events.at(-1)!.params.data).toEqual({ event: "completed" });
    expect(new Set(first.events.map((e) => e.method))).toEqual(new Set(["lifecycle", "values", "messages"]));
    // SSE id and event name are the event's own; seq grows.
    expect(first.frames).toEqual(first.events.map((e) => ({ id: e.event_id, event: e.method })));
    for (let i = 1; i < first.events.length; i++) expect(first.events[i].seq).toBeGreaterThan(first.events[i - 1].seq);

    const again = await openEvents(t.url, threadId, body);
    await again.until(lifecycle("completed"));
    expect(again.events.map((e) => e.event_id)).toEqual(ids);
    const since = await openEvents(t.url, threadId, { ...body, since: first.events[2].seq });
    await since.until(lifecycle("completed"));
    expect(since.events.map((e) => e.event_id)).toEqual(ids.slice(3));
    await Promise.all([first.close(), again.close(), since.close()]);
  });

  it("a stream opened as the run is stored never misses it (200 times)", async () => {
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const threadId = uuidv7();
          const [open] = await Promise.all([
            openEvents(t.url, threadId, { channels: ["lifecycle"] }),
            start(threadId, { assistant_id: "echo", input: hello("race") }),
          ]);
          // Not a 404: the thread may be made while the stream's request is being checked.
          expect(open.status).toBe(200);
          await open.until(lifecycle("completed"), 5_000);
          expect(open.events.map((e) => e.params.data.event)).toEqual(["running", "completed"]);
          await open.close();
        }),
      );
    }
  });

  it("stays open across runs, seq growing along the thread; a new stream starts at the latest run", async () => {
    const threadId = uuidv7();
    const open = await openEvents(t.url, threadId, { channels: ["lifecycle"] });
    const one = await start(threadId, { assistant_id: "echo", input: hello("one") });
    await open.until((e) => ofRun(one)(e) && lifecycle("completed")(e));
    const two = await start(threadId, { assistant_id: "echo", input: hello("two") });
    await open.until((e) => ofRun(two)(e) && lifecycle("completed")(e));
    expect(open.events.map((e) => [e.event_id.split(":")[0], e.params.data.event])).toEqual([
      [one, "running"],
      [one, "completed"],
      [two, "running"],
      [two, "completed"],
    ]);
    expect(open.events[2].seq).toBeGreaterThan(open.events[1].seq);
    const later = await openEvents(t.url, threadId, { channels: ["lifecycle"] });
    await later.until(lifecycle("completed"));
    expect(later.events.map((e) => e.event_id)).toEqual(open.events.slice(2).map((e) => e.event_id));
    await Promise.all([open.close(), later.close()]);
  });

  it("carries only the channels and namespaces asked for", async () => {
    const threadId = uuidv7();
    const lifecycleOnly = await openEvents(t.url, threadId, { channels: ["lifecycle"] });
    const rootOnly = await openEvents(t.url, threadId, {
      channels: ["messages", "lifecycle"],
      namespaces: [[]],
      depth: 0,
    });
    const withNodes = await openEvents(t.url, threadId, { channels: ["messages"], namespaces: [[]], depth: 1 });
    await start(threadId, { assistant_id: "echo", input: hello("filters") });
    await lifecycleOnly.until(lifecycle("completed"));
    await rootOnly.until(lifecycle("completed"));
    await withNodes.until((e) => e.params.data.event === "message-finish");
    expect(new Set(lifecycleOnly.events.map((e) => e.method))).toEqual(new Set(["lifecycle"]));
    // The model speaks inside its node (namespace `agent:<task>`): one level below the root.
    expect(rootOnly.events.filter((e) => e.method === "messages")).toEqual([]);
    expect(withNodes.events.every((e) => e.method === "messages" && e.params.namespace.length === 1)).toBe(true);
    expect(withNodes.events[0].params).toMatchObject({ node: "agent", data: { event: "message-start" } });
    await Promise.all([lifecycleOnly.close(), rootOnly.close(), withNodes.close()]);
  });
});

describe("runs of the protocol, by the classic rules", () => {
  it("an interrupt is input.requested; input.respond resumes it", async () => {
    const threadId = uuidv7();
    const open = await openEvents(t.url, threadId, { channels: ["lifecycle", "input"] });
    const first = await start(threadId, { assistant_id: "interrupt", input: {} });
    const asked = await open.until((e) => e.method === "input.requested");
    await open.until(lifecycle("interrupted"));
    expect(asked.params.data).toEqual({ interrupt_id: expect.any(String), payload: { question: "approve?" } });
    expect((await t.client.runs.get(threadId, first)).status).toBe("success");

    const wrong = await command(t.url, threadId, {
      id: 2,
      method: "input.respond",
      params: { namespace: [], interrupt_id: "not-pending", response: "no" },
    });
    expect(wrong.body).toMatchObject({ type: "error", id: 2, error: "no_such_interrupt" });
    const resumed = await command(t.url, threadId, {
      id: 3,
      method: "input.respond",
      params: { namespace: [], interrupt_id: asked.params.data.interrupt_id, response: "yes" },
    });
    expect(resumed.body).toMatchObject({ type: "success", id: 3, result: { run_id: expect.any(String) } });
    const second = (resumed.body.result as { run_id: string }).run_id;
    await open.until((e) => ofRun(second)(e) && lifecycle("completed")(e));
    expect((await t.client.threads.getState(threadId)).values).toEqual({ answer: "yes" });
    const state = await command(t.url, threadId, { id: 4, method: "state.get", params: {} });
    expect(state.body).toMatchObject({ type: "success", id: 4, result: { values: { answer: "yes" }, next: [] } });
    await open.close();
  });

  it("the classic cancel stops it (lifecycle interrupted); a failure is lifecycle failed with the error", async () => {
    const threadId = uuidv7();
    const open = await openEvents(t.url, threadId, { channels: ["lifecycle"] });
    const slow = { assistant_id: "slow", input: {}, config: { configurable: { total_steps: 20, step_ms: 100 } } };
    const runId = await start(threadId, slow);
    await open.until(lifecycle("running"));
    await t.client.runs.cancel(threadId, runId, true, "interrupt");
    await open.until(lifecycle("interrupted"));
    expect((await t.client.runs.get(threadId, runId)).status).toBe("interrupted");

    const failing = await start(threadId, { assistant_id: "fail", input: {} });
    const failed = await open.until((e) => ofRun(failing)(e) && lifecycle("failed")(e));
    expect(failed.params.data).toEqual({ event: "failed", error: expect.stringContaining("boom") });
    await open.close();
  });

  it("multitask strategies hold: reject answers the classic 409, enqueue waits its turn", async () => {
    const threadId = uuidv7();
    const slow = { assistant_id: "slow", input: {}, config: { configurable: { total_steps: 4, step_ms: 50 } } };
    const first = await start(threadId, slow);
    const rejected = await command(t.url, threadId, {
      id: 2,
      method: "run.start",
      params: { ...slow, multitask_strategy: "reject" },
    });
    expect(rejected.status).toBe(409);
    expect(rejected.body.detail).toMatch(/already running/);
    const queued = await start(threadId, { ...slow, multitaskStrategy: "enqueue" });
    await waitFor(async () => (await t.client.runs.get(threadId, queued)).status === "success");
    const runs = await t.client.runs.list(threadId);
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([
      [queued, "success"],
      [first, "success"],
    ]);
  });
});

describe("what is not a command", () => {
  it("answers the protocol's errors, and 422 for a body that is not a command; nothing is written", async () => {
    const threadId = uuidv7();
    const ask = async (body: Record<string, unknown>) => (await command(t.url, threadId, body)).body;
    expect(await ask({ id: 1, method: "agent.fly" })).toMatchObject({ type: "error", id: 1, error: "unknown_command" });
    expect(await ask({ id: 2, method: "agent.getTree" })).toMatchObject({ error: "not_supported" });
    expect(await ask({ id: 3, method: "run.start", params: { input: {} } })).toMatchObject({
      type: "error",
      id: 3,
      error: "invalid_argument",
      message: expect.stringContaining("assistant_id"),
    });
    expect(
      await ask({ id: 4, method: "run.start", params: { assistant_id: "echo", multitask_strategy: "bogus" } }),
    ).toMatchObject({ error: "invalid_argument", message: expect.stringContaining("multitask_strategy") });
    const noMethod = await command(t.url, threadId, { id: 5 });
    expect(noMethod.status).toBe(422);
    expect(JSON.stringify(noMethod.body.detail)).toContain("method");
    const events = await fetch(`${t.url}/threads/${threadId}/stream/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ channels: [] }),
    });
    expect(events.status).toBe(422);
    expect(JSON.stringify(await events.json())).toContain("channels");
    // None of it made the thread.
    expect((await fetch(`${t.url}/threads/${threadId}`)).status).toBe(404);
  });
});
