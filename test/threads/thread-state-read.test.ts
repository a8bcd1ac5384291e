/**
 * Thread state as read: the state at a checkpoint, history filters, and thread status / cached values
 * following each run outcome. Updating state is in thread-state-update.test.ts. Real HTTP, real SQLite,
 * real graphs, through the official SDK (raw HTTP for status codes).
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

const { ranTwoNode } = threadStateHelpers(() => t);

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
