/**
 * Thread state: updateState, the state at a checkpoint, history filters, and
 * thread status / cached values following each run outcome. Real HTTP, real
 * SQLite, real graphs, through the official SDK (raw HTTP for status codes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

type Value = { value: string[] };
/**
 * What updateState answers on the wire (and on LangGraph Platform): `{checkpoint}`. The SDK declares
 * `Pick<Config, "configurable">`, which no server sends.
 */
type UpdateResult = { checkpoint: { thread_id: string; checkpoint_ns: string; checkpoint_id: string } };
const update = async (threadId: string, options: Parameters<TestServer["client"]["threads"]["updateState"]>[1]) =>
  (await t.client.threads.updateState(threadId, options)) as unknown as UpdateResult;

const MISSING = "00000000-0000-4000-8000-000000000000";
const MISSING_CHECKPOINT = "1f000000-0000-6000-8000-000000000000";
const locs = (res: { json: any }) => (res.json.detail as { loc: string[] }[]).map((d) => d.loc.join("."));

/** A thread that ran two_node once: value = [first, second]. */
async function ranTwoNode(): Promise<string> {
  const thread = await t.client.threads.create();
  await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
  return thread.thread_id;
}

async function historyIds(threadId: string): Promise<string[]> {
  return (await t.client.threads.getHistory(threadId, { limit: 100 })).map((s) => s.checkpoint.checkpoint_id!);
}

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

describe("threads.getState at a checkpoint", () => {
  let threadId: string;
  let afterFirst: { checkpoint_id: string; checkpoint_ns: string };
  beforeAll(async () => {
    threadId = await ranTwoNode();
    const history = await t.client.threads.getHistory<Value>(threadId);
    const s = history.find((h) => h.metadata?.step === 1)!;
    afterFirst = { checkpoint_id: s.checkpoint.checkpoint_id!, checkpoint_ns: "" };
  });

  it("GET /threads/{id}/state/{checkpoint_id} (SDK with an id) returns that state", async () => {
    const state = await t.client.threads.getState<Value>(threadId, afterFirst.checkpoint_id);
    expect(state.values).toEqual({ value: ["first"] });
    expect(state.next).toEqual(["second"]);
    expect(state.tasks.map((task) => task.name)).toEqual(["second"]);
    expect(state.checkpoint).toMatchObject({ thread_id: threadId, ...afterFirst });
    expect(state.metadata).toMatchObject({ step: 1, source: "loop" });
    // Not the latest state.
    expect((await t.client.threads.getState<Value>(threadId)).values.value).toEqual(["first", "second"]);
  });

  it("POST /threads/{id}/state/checkpoint (SDK with a reference) returns the same state", async () => {
    const byRef = await t.client.threads.getState<Value>(threadId, { ...afterFirst, thread_id: threadId } as any);
    const byId = await t.client.threads.getState<Value>(threadId, afterFirst.checkpoint_id);
    expect(byRef).toEqual(byId);
  });

  it("a checkpoint the thread does not have is 404 in both forms", async () => {
    const other = await ranTwoNode();
    const otherHead = (await t.client.threads.getState(other)).checkpoint.checkpoint_id!;
    for (const id of [MISSING_CHECKPOINT, otherHead]) {
      const get = await http(t.url, "GET", `/threads/${threadId}/state/${id}`);
      expect(get.status).toBe(404);
      expect(get.json.detail).toContain(id);
      const post = await http(t.url, "POST", `/threads/${threadId}/state/checkpoint`, {
        checkpoint: { checkpoint_id: id },
      });
      expect(post.status).toBe(404);
      await expect(t.client.threads.getState(threadId, id)).rejects.toThrow(/404/);
    }
    // A reference naming another thread is refused rather than read from this one.
    const foreign = await http(t.url, "POST", `/threads/${threadId}/state/checkpoint`, {
      checkpoint: { thread_id: other, checkpoint_id: otherHead },
    });
    expect(foreign.status).toBe(422);
    expect(locs(foreign)).toEqual(["body.checkpoint.thread_id"]);
  });

  it("a thread that never ran, or an unknown thread, is 404; a missing checkpoint body is 422", async () => {
    const fresh = await t.client.threads.create();
    expect((await http(t.url, "GET", `/threads/${fresh.thread_id}/state/${afterFirst.checkpoint_id}`)).status).toBe(
      404,
    );
    expect((await http(t.url, "GET", `/threads/${MISSING}/state/${afterFirst.checkpoint_id}`)).status).toBe(404);
    const none = await http(t.url, "POST", `/threads/${threadId}/state/checkpoint`, {});
    expect(none.status).toBe(422);
    expect(locs(none)).toContain("body.checkpoint");
  });

  it("reads a subgraph's checkpoint by namespace; subgraphs=true nests the subgraph state", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "subgraph", { input: { value: ["x"] } });
    // The subgraph starts from the parent's input (["x"]) and adds "inner"; its output goes
    // through the parent's reducer again, hence ["x", "x", "inner"] at the root.
    expect((await t.client.threads.getState<Value>(thread.thread_id)).values.value).toEqual(["x", "x", "inner"]);
    const history = await t.client.threads.getHistory(thread.thread_id);
    const beforeChild = history.find((s) => (s.next as string[]).includes("child"))!;
    const task = beforeChild.tasks[0];
    expect(task.name).toBe("child");
    expect(task.state).toBeNull();
    const ns = task.checkpoint!.checkpoint_ns;
    expect(ns).toBe(`child:${task.id}`);

    const sub = await t.client.threads.getState<Value>(thread.thread_id, { checkpoint_ns: ns } as any);
    expect(sub.checkpoint.checkpoint_ns).toBe(ns);
    expect(sub.values).toEqual({ value: ["x", "inner"] });
    expect(sub.next).toEqual([]);
    const subById = await t.client.threads.getState<Value>(thread.thread_id, {
      checkpoint_ns: ns,
      checkpoint_id: sub.checkpoint.checkpoint_id,
    } as any);
    expect(subById).toEqual(sub);

    const nested = await t.client.threads.getState(thread.thread_id, beforeChild.checkpoint.checkpoint_id!, {
      subgraphs: true,
    });
    expect(nested.tasks[0].name).toBe("child");
    // As LangGraph.js answers: the nested state carries the subgraph's checkpoint, the task none.
    expect(nested.tasks[0].checkpoint).toBeNull();
    expect(nested.tasks[0].state?.checkpoint).toMatchObject({
      checkpoint_ns: ns,
      checkpoint_id: sub.checkpoint.checkpoint_id,
    });
    expect((nested.tasks[0].state as any)?.values).toEqual({ value: ["x", "inner"] });
  });
});

describe("threads.getHistory", () => {
  let threadId: string;
  let runs: string[];
  beforeAll(async () => {
    threadId = (await t.client.threads.create()).thread_id;
    runs = [];
    for (const tag of ["one", "two"]) {
      const run = await t.client.runs.create(threadId, "two_node", { input: { value: [tag] }, metadata: { tag } });
      await t.client.runs.join(threadId, run.run_id);
      runs.push(run.run_id);
    }
  });

  it("limit caps the page (POST and GET)", async () => {
    const all = await t.client.threads.getHistory(threadId, { limit: 100 });
    expect(all).toHaveLength(8);
    for (const limit of [1, 3, 8]) {
      const page = await t.client.threads.getHistory(threadId, { limit });
      expect(page.map((s) => s.checkpoint.checkpoint_id)).toEqual(
        all.slice(0, limit).map((s) => s.checkpoint.checkpoint_id),
      );
      const raw = await http(t.url, "GET", `/threads/${threadId}/history?limit=${limit}`);
      expect(raw.json.map((s: any) => s.checkpoint.checkpoint_id)).toEqual(
        all.slice(0, limit).map((s) => s.checkpoint.checkpoint_id),
      );
    }
    // The default page is 10.
    expect((await http(t.url, "GET", `/threads/${threadId}/history`)).json).toHaveLength(8);
    const bad = await http(t.url, "POST", `/threads/${threadId}/history`, { limit: 0 });
    expect(bad.status).toBe(422);
    expect(locs(bad)).toEqual(["body.limit"]);
  });

  it("before takes a checkpoint id or a reference, and pages backwards", async () => {
    const all = await t.client.threads.getHistory(threadId, { limit: 100 });
    const ids = all.map((s) => s.checkpoint.checkpoint_id);
    const byRef = await t.client.threads.getHistory(threadId, { before: all[2].checkpoint as any, limit: 2 });
    expect(byRef.map((s) => s.checkpoint.checkpoint_id)).toEqual(ids.slice(3, 5));
    const byId = await http(t.url, "POST", `/threads/${threadId}/history`, { before: ids[2], limit: 2 });
    expect(byId.json.map((s: any) => s.checkpoint.checkpoint_id)).toEqual(ids.slice(3, 5));
    const get = await http(t.url, "GET", `/threads/${threadId}/history?before=${ids[5]}`);
    expect(get.json.map((s: any) => s.checkpoint.checkpoint_id)).toEqual(ids.slice(6));
    expect(await t.client.threads.getHistory(threadId, { before: all.at(-1)!.checkpoint as any })).toEqual([]);
  });

  it("metadata filters by checkpoint metadata: LangGraph's keys and run metadata", async () => {
    const inputs = await t.client.threads.getHistory(threadId, { metadata: { source: "input" } });
    expect(inputs).toHaveLength(2);
    expect(inputs.every((s) => s.metadata?.source === "input")).toBe(true);

    const second = await t.client.threads.getHistory<Value>(threadId, { metadata: { run_id: runs[1] } });
    expect(second.map((s) => s.metadata?.step)).toEqual([6, 5, 4, 3]);
    expect(second.every((s) => s.metadata?.tag === "two")).toBe(true);

    const both = await t.client.threads.getHistory(threadId, { metadata: { tag: "one", step: 1 } });
    expect(both).toHaveLength(1);
    expect((both[0].values as Value).value).toEqual(["one", "first"]);

    expect(await t.client.threads.getHistory(threadId, { metadata: { tag: "three" } })).toEqual([]);
  });

  it("checkpoint with an id starts from that checkpoint (inclusive), combined with limit and metadata", async () => {
    const all = await t.client.threads.getHistory(threadId, { limit: 100 });
    const ids = all.map((s) => s.checkpoint.checkpoint_id);
    const from = await t.client.threads.getHistory(threadId, {
      checkpoint: { checkpoint_id: ids[3] } as any,
      limit: 2,
    });
    expect(from.map((s) => s.checkpoint.checkpoint_id)).toEqual(ids.slice(3, 5));
    const filtered = await t.client.threads.getHistory(threadId, {
      checkpoint: { checkpoint_id: ids[3] } as any,
      metadata: { tag: "one" },
    });
    expect(filtered.map((s) => s.checkpoint.checkpoint_id)).toEqual(ids.slice(4));
    expect(
      await t.client.threads.getHistory(threadId, { checkpoint: { checkpoint_id: MISSING_CHECKPOINT } as any }),
    ).toEqual([]);
  });

  it("checkpoint with a namespace lists that subgraph's history", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "subgraph", { input: { value: [] } });
    const root = await t.client.threads.getHistory(thread.thread_id);
    expect(root.every((s) => s.checkpoint.checkpoint_ns === "")).toBe(true);
    const ns = root.find((s) => (s.next as string[]).includes("child"))!.tasks[0].checkpoint!.checkpoint_ns;

    const sub = await t.client.threads.getHistory<Value>(thread.thread_id, {
      checkpoint: { checkpoint_ns: ns } as any,
    });
    expect(sub.length).toBeGreaterThanOrEqual(2);
    expect(sub.every((s) => s.checkpoint.checkpoint_ns === ns)).toBe(true);
    expect(sub[0].values).toEqual({ value: ["inner"] });
    expect(sub.map((s) => s.checkpoint.checkpoint_id)).not.toContain(root[0].checkpoint.checkpoint_id);
    const one = await t.client.threads.getHistory(thread.thread_id, {
      checkpoint: { checkpoint_ns: ns } as any,
      limit: 1,
    });
    expect(one.map((s) => s.checkpoint.checkpoint_id)).toEqual([sub[0].checkpoint.checkpoint_id]);
  });
});

describe("thread status and cached values follow the run", () => {
  it("busy while a run is pending or running, idle with the final values after success", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { step_ms: 100, total_steps: 2 } },
    });
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("busy");
    const busy = await t.client.threads.search({ ids: [thread.thread_id], status: "busy" });
    expect(busy.map((th) => th.thread_id)).toEqual([thread.thread_id]);
    await t.client.runs.join(thread.thread_id, run.run_id);
    const after = await t.client.threads.get(thread.thread_id);
    expect(after.status).toBe("idle");
    expect(after.values).toEqual({ steps: ["step-1", "step-2"] });
    expect(after.interrupts).toEqual({});
  });

  it("interrupted at an interrupt(), with the interrupts cached by task id; idle again after resuming", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "interrupt", { input: {} });
    const th = await t.client.threads.get(thread.thread_id);
    expect(th.status).toBe("interrupted");
    const state = await t.client.threads.getState(thread.thread_id);
    const taskId = state.tasks[0].id;
    expect(th.interrupts).toEqual({ [taskId]: [expect.objectContaining({ value: { question: "approve?" } })] });

    await t.client.runs.wait(thread.thread_id, "interrupt", { command: { resume: "yes" } });
    const resumed = await t.client.threads.get(thread.thread_id);
    expect(resumed.status).toBe("idle");
    expect(resumed.interrupts).toEqual({});
    expect(resumed.values).toEqual({ answer: "yes" });
  });

  it("interrupted at interrupt_before, with the values so far", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] }, interruptBefore: ["second"] });
    const th = await t.client.threads.get(thread.thread_id);
    expect(th.status).toBe("interrupted");
    expect(th.values).toEqual({ value: ["first"] });
    const interrupted = await t.client.threads.search({ ids: [thread.thread_id], status: "interrupted" });
    expect(interrupted).toHaveLength(1);
  });

  it("error after a failed run, and the run says why", async () => {
    const thread = await t.client.threads.create();
    await expect(t.client.runs.wait(thread.thread_id, "fail", { input: {} })).rejects.toThrow(/boom/);
    const th = await t.client.threads.get(thread.thread_id);
    expect(th.status).toBe("error");
    const [run] = await t.client.runs.list(thread.thread_id);
    expect(run.status).toBe("error");
    const errored = await t.client.threads.search({ ids: [thread.thread_id], status: "error" });
    expect(errored.map((x) => x.thread_id)).toEqual([thread.thread_id]);
  });
});
