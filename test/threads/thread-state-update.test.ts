/**
 * Thread state: updateState (as a node, forking from a checkpoint, on a fresh or interrupted thread) and what
 * it refuses. Reading state and history is in thread-state-read.test.ts. Real HTTP, real SQLite, real graphs,
 * through the official SDK (raw HTTP for status codes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { threadStateHelpers, MISSING, MISSING_CHECKPOINT, locs, type Value } from "./thread-state-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const { update, ranTwoNode, historyIds } = threadStateHelpers(() => t);

describe("threads.updateState", () => {
  it("writes values as the given node: a new checkpoint on top, state and cached values refreshed", async () => {
    const threadId = await ranTwoNode();
    const before = await t.client.threads.getState<Value>(threadId);

    const res = await update(threadId, { values: { value: ["edited"] }, asNode: "second" });
    expect(res.checkpoint.thread_id).toBe(threadId);
    expect(res.checkpoint.checkpoint_ns).toBe("");
    expect(typeof res.checkpoint.checkpoint_id).toBe("string");
    expect(res.checkpoint.checkpoint_id).not.toBe(before.checkpoint.checkpoint_id);

    const after = await t.client.threads.getState<Value>(threadId);
    expect(after.checkpoint.checkpoint_id).toBe(res.checkpoint.checkpoint_id);
    expect(after.parent_checkpoint?.checkpoint_id).toBe(before.checkpoint.checkpoint_id);
    expect(after.values).toEqual({ value: ["first", "second", "edited"] }); // through the reducer
    expect(after.next).toEqual([]); // "second" leads to END
    expect(after.metadata).toMatchObject({ source: "update", step: 3, graph_id: "two_node" });

    const thread = await t.client.threads.get(threadId);
    expect(thread.values).toEqual({ value: ["first", "second", "edited"] });
    expect(thread.status).toBe("idle");
  });

  it("as an earlier node schedules what follows it; a run with input null continues from there", async () => {
    const threadId = await ranTwoNode();
    await t.client.threads.updateState(threadId, { values: { value: ["x"] }, asNode: "first" });
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.next).toEqual(["second"]);
    expect(state.values.value).toEqual(["first", "second", "x"]);

    const final = (await t.client.runs.wait(threadId, "two_node", { input: null })) as Value;
    expect(final.value).toEqual(["first", "second", "x", "second"]);
  });

  it("without as_node, writes as the node that ran last", async () => {
    const threadId = await ranTwoNode();
    await t.client.threads.updateState(threadId, { values: { value: ["y"] } });
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.values.value).toEqual(["first", "second", "y"]);
    expect(state.next).toEqual([]); // as "second", not "first"
  });

  it("checkpointId forks from an older checkpoint; the old head stays in history", async () => {
    const threadId = await ranTwoNode();
    const history = await t.client.threads.getHistory<Value>(threadId);
    const afterFirst = history.find((s) => s.metadata?.step === 1)!;
    expect(afterFirst.values.value).toEqual(["first"]);
    const oldHead = history[0].checkpoint.checkpoint_id;

    const res = await update(threadId, {
      values: { value: ["fork"] },
      asNode: "first",
      checkpointId: afterFirst.checkpoint.checkpoint_id!,
    });
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.checkpoint.checkpoint_id).toBe(res.checkpoint.checkpoint_id);
    expect(state.parent_checkpoint?.checkpoint_id).toBe(afterFirst.checkpoint.checkpoint_id);
    expect(state.values.value).toEqual(["first", "fork"]);
    expect(state.next).toEqual(["second"]);
    expect(await historyIds(threadId)).toContain(oldHead);
    expect((await t.client.threads.get(threadId)).values).toEqual({ value: ["first", "fork"] });
  });

  it("checkpoint (a reference) forks the same way", async () => {
    const threadId = await ranTwoNode();
    const history = await t.client.threads.getHistory<Value>(threadId);
    const input = history.find((s) => s.metadata?.step === 0)!; // before "first" ran
    await t.client.threads.updateState(threadId, {
      values: { value: ["seeded"] },
      asNode: "first",
      checkpoint: { checkpoint_id: input.checkpoint.checkpoint_id!, checkpoint_ns: "" } as any,
    });
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.parent_checkpoint?.checkpoint_id).toBe(input.checkpoint.checkpoint_id);
    expect(state.values.value).toEqual(["seeded"]);
    expect(state.next).toEqual(["second"]);
  });

  it("works on a thread created with graphId that never ran; a run then continues from the update", async () => {
    const thread = await t.client.threads.create({ graphId: "two_node" });
    expect(thread.metadata).toEqual({ graph_id: "two_node" });
    const res = await update(thread.thread_id, { values: { value: ["seed"] }, asNode: "first" });
    expect(res.checkpoint.thread_id).toBe(thread.thread_id);
    const state = await t.client.threads.getState<Value>(thread.thread_id);
    expect(state.values).toEqual({ value: ["seed"] });
    expect(state.next).toEqual(["second"]);
    expect((await t.client.threads.get(thread.thread_id)).values).toEqual({ value: ["seed"] });

    const final = (await t.client.runs.wait(thread.thread_id, "two_node", { input: null })) as Value;
    expect(final.value).toEqual(["seed", "second"]);
  });

  it("on an interrupted thread, answering as the interrupted node clears the interrupt", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "interrupt", { input: {} });
    const interrupted = await t.client.threads.get(thread.thread_id);
    expect(interrupted.status).toBe("interrupted");
    expect(Object.keys(interrupted.interrupts)).toHaveLength(1);

    await t.client.threads.updateState(thread.thread_id, { values: { answer: "manual" }, asNode: "ask" });
    const state = await t.client.threads.getState(thread.thread_id);
    expect(state.values).toEqual({ answer: "manual" });
    expect(state.next).toEqual([]);
    const after = await t.client.threads.get(thread.thread_id);
    expect(after.values).toEqual({ answer: "manual" });
    expect(after.interrupts).toEqual({});
  });

  it("a thread that never ran a graph (no graph_id) is 422 naming body, and nothing is written", async () => {
    const thread = await t.client.threads.create();
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/state`, { values: { value: ["x"] } });
    expect(res.status).toBe(422);
    expect(locs(res)).toEqual(["body"]);
    expect(res.json.detail[0].msg).toMatch(/graph/);
    await expect(t.client.threads.updateState(thread.thread_id, { values: {} })).rejects.toThrow(/422/);
    const after = await t.client.threads.get(thread.thread_id);
    expect(after.values).toBeNull();
    expect(after.updated_at).toBe(thread.updated_at);
  });

  it("a graph_id that is not served is 422 too", async () => {
    const thread = await t.client.threads.create({ graphId: "no_such_graph" });
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/state`, { values: {} });
    expect(res.status).toBe(422);
    expect(locs(res)).toEqual(["body"]);
    expect(res.json.detail[0].msg).toContain("no_such_graph");
  });

  it("an as_node that is not a node of the graph is 422 naming body.as_node, and nothing is written", async () => {
    const threadId = await ranTwoNode();
    const before = await historyIds(threadId);
    const res = await http(t.url, "POST", `/threads/${threadId}/state`, { values: { value: ["x"] }, as_node: "third" });
    expect(res.status).toBe(422);
    expect(locs(res)).toEqual(["body.as_node"]);
    expect(res.json.detail[0].msg).toContain("third");
    expect(await historyIds(threadId)).toEqual(before);
    expect((await t.client.threads.get(threadId)).values).toEqual({ value: ["first", "second"] });
  });

  it("a fork point that does not exist, or is another thread's, is 422 naming the field; nothing is written", async () => {
    const threadId = await ranTwoNode();
    const other = await ranTwoNode();
    const otherHead = (await t.client.threads.getState(other)).checkpoint.checkpoint_id!;
    const before = await historyIds(threadId);

    const missing = await http(t.url, "POST", `/threads/${threadId}/state`, {
      values: { value: ["x"] },
      as_node: "first",
      checkpoint_id: MISSING_CHECKPOINT,
    });
    expect(missing.status).toBe(422);
    expect(locs(missing)).toEqual(["body.checkpoint_id"]);

    // Another thread's checkpoint id does not exist on this thread.
    const foreignId = await http(t.url, "POST", `/threads/${threadId}/state`, {
      values: { value: ["x"] },
      as_node: "first",
      checkpoint: { checkpoint_id: otherHead },
    });
    expect(foreignId.status).toBe(422);
    expect(locs(foreignId)).toEqual(["body.checkpoint.checkpoint_id"]);

    const foreign = await http(t.url, "POST", `/threads/${threadId}/state`, {
      values: { value: ["x"] },
      as_node: "first",
      checkpoint: { thread_id: other, checkpoint_id: otherHead, checkpoint_ns: "" },
    });
    expect(foreign.status).toBe(422);
    expect(locs(foreign)).toEqual(["body.checkpoint.thread_id"]);

    expect(await historyIds(threadId)).toEqual(before);
    expect(await historyIds(other)).toHaveLength(4);
  });

  it("is 409 while a run of the thread is pending or running, and works once it ended", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { step_ms: 150, total_steps: 3 } },
    });
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/state`, {
      values: { steps: ["manual"] },
      as_node: "step",
    });
    expect(res.status).toBe(409);
    expect(typeof res.json.detail).toBe("string");
    await expect(
      t.client.threads.updateState(thread.thread_id, { values: { steps: ["manual"] }, asNode: "step" }),
    ).rejects.toThrow(/409/);

    await t.client.runs.join(thread.thread_id, run.run_id);
    const done = await t.client.threads.getState<{ steps: string[] }>(thread.thread_id);
    expect(done.values.steps).toEqual(["step-1", "step-2", "step-3"]); // the refused update left no trace

    // `step` loops back to itself only while steps < total_steps (default 5): as "step" it schedules another step.
    await t.client.threads.updateState(thread.thread_id, { values: { steps: ["manual"] }, asNode: "step" });
    const after = await t.client.threads.getState<{ steps: string[] }>(thread.thread_id);
    expect(after.values.steps).toEqual(["step-1", "step-2", "step-3", "manual"]);
    expect(after.next).toEqual(["step"]);
  });

  it("an unknown thread is 404; a body that is not an object is 422", async () => {
    await expect(t.client.threads.updateState(MISSING, { values: {} })).rejects.toThrow(/404/);
    const res = await http(t.url, "POST", `/threads/${MISSING}/state`, { values: {} });
    expect(res.status).toBe(404);
    const threadId = await ranTwoNode();
    const bad = await http(t.url, "POST", `/threads/${threadId}/state`, { as_node: 7 });
    expect(bad.status).toBe(422);
    expect(locs(bad)).toContain("body.as_node");
  });
});
