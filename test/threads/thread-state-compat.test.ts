/**
 * Thread state as the LangGraph.js API server answers it (issue 12, items 5 and 13):
 * unknown subgraph namespaces and bad values are 4xx with the JSON envelope, never 500;
 * `tasks[]` carry `path` and `result` and a task's checkpoint is what LangGraph names.
 * The thread's config and `supersteps` (items 15, 16) are in thread-state-compat-threads.test.ts.
 * Real HTTP, real SQLite, real graphs, through the official SDK (raw HTTP for status codes and bodies).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { v4 as uuidv4 } from "uuid";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { threadStateHelpers, locs, type Value } from "./thread-state-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const { historyIds, ranSubgraph } = threadStateHelpers(() => t);

describe("unknown subgraph namespaces and bad values are 4xx, never 500 (item 5)", () => {
  it("updateState in a namespace that names no subgraph is 422 naming body.checkpoint.checkpoint_ns; nothing is written", async () => {
    const { threadId, ns } = await ranSubgraph();
    const before = await historyIds(threadId);
    for (const bad of ["nope:123", `${ns}|nope:1`, "child:1|inner:2"]) {
      for (const body of [
        { values: { value: ["y"] }, checkpoint: { checkpoint_ns: bad } },
        { values: { value: ["y"] }, as_node: "inner", checkpoint: { checkpoint_ns: bad } },
      ]) {
        const res = await http(t.url, "POST", `/threads/${threadId}/state`, body);
        expect(res.status, bad).toBe(422);
        expect(res.headers.get("content-type")).toMatch(/application\/json/);
        expect(locs(res)).toEqual(["body.checkpoint.checkpoint_ns"]);
        expect(res.json.detail[0].msg).toContain(bad);
      }
    }
    await expect(
      t.client.threads.updateState(threadId, {
        values: { value: ["y"] },
        checkpoint: { checkpoint_ns: "nope:1" } as any,
      }),
    ).rejects.toThrow(/422/);
    expect(await historyIds(threadId)).toEqual(before);
    // A real subgraph namespace still takes updates.
    const ok = await http(t.url, "POST", `/threads/${threadId}/state`, {
      values: { value: ["y"] },
      checkpoint: { checkpoint_ns: ns },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.checkpoint.checkpoint_ns).toBe(ns);
  });

  it("reading the state or the history of such a namespace is 422 naming the field; a subgraph with no checkpoint stays 404 / []", async () => {
    const { threadId, ns, beforeChild } = await ranSubgraph();
    for (const bad of ["nope:123", `${ns}|nope:1`]) {
      for (const checkpoint of [{ checkpoint_ns: bad }, { checkpoint_ns: bad, checkpoint_id: beforeChild }]) {
        const state = await http(t.url, "POST", `/threads/${threadId}/state/checkpoint`, { checkpoint });
        expect(state.status, bad).toBe(422);
        expect(locs(state)).toEqual(["body.checkpoint.checkpoint_ns"]);
        const nested = await http(t.url, "POST", `/threads/${threadId}/state/checkpoint`, {
          checkpoint,
          subgraphs: true,
        });
        expect(nested.status, bad).toBe(422);
        const history = await http(t.url, "POST", `/threads/${threadId}/history`, { checkpoint });
        expect(history.status, bad).toBe(422);
        expect(locs(history)).toEqual(["body.checkpoint.checkpoint_ns"]);
      }
      await expect(t.client.threads.getState(threadId, { checkpoint_ns: bad } as any)).rejects.toThrow(/422/);
      await expect(
        t.client.threads.getHistory(threadId, { checkpoint: { checkpoint_ns: bad } as any }),
      ).rejects.toThrow(/422/);
    }
    // The subgraph exists, but this task id never ran in it: nothing to show.
    const unknownTask = `child:${uuidv4()}`;
    const missing = await http(t.url, "POST", `/threads/${threadId}/state/checkpoint`, {
      checkpoint: { checkpoint_ns: unknownTask },
    });
    expect(missing.status).toBe(404);
    expect(typeof missing.json.detail).toBe("string");
    const empty = await http(t.url, "POST", `/threads/${threadId}/history`, {
      checkpoint: { checkpoint_ns: unknownTask },
    });
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual([]);
  });

  it("values the graph's state schema refuses are 422 naming body.values, and nothing is written", async () => {
    const thread = await t.client.threads.create({ graphId: "two_node" });
    await t.client.threads.updateState(thread.thread_id, { values: { value: ["seed"] }, asNode: "first" });
    const before = await historyIds(thread.thread_id);
    for (const values of [{ value: 5 }, { value: "x" }, { value: [1, 2] }]) {
      const res = await http(t.url, "POST", `/threads/${thread.thread_id}/state`, { values, as_node: "first" });
      expect(res.status, JSON.stringify(values)).toBe(422);
      expect(locs(res)).toEqual(["body.values"]);
      expect(res.json.detail[0].msg).toContain("value");
    }
    expect(await historyIds(thread.thread_id)).toEqual(before);
    expect((await t.client.threads.get(thread.thread_id)).values).toEqual({ value: ["seed"] });
  });
});

describe("tasks[] as the LangGraph.js server answers them (item 13)", () => {
  it("a task has id, name, error, interrupts, path, checkpoint, state and result, in that shape", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] }, interruptBefore: ["second"] });
    const state = await t.client.threads.getState<Value>(thread.thread_id);
    expect(state.tasks).toEqual([
      {
        id: expect.any(String),
        name: "second",
        error: null,
        interrupts: [],
        path: ["__pregel_pull", "second"],
        checkpoint: null,
        state: null,
        result: null,
      },
    ]);
    // The state's own checkpoints keep their `checkpoint_map` (null at the root), as LangGraph.js's do.
    expect(state.checkpoint).toEqual({
      thread_id: thread.thread_id,
      checkpoint_ns: "",
      checkpoint_id: expect.any(String),
      checkpoint_map: null,
    });
    expect(state.parent_checkpoint).toEqual({
      thread_id: thread.thread_id,
      checkpoint_ns: "",
      checkpoint_id: expect.any(String),
      checkpoint_map: null,
    });
  });

  it("a task that has run shows its result in history", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
    const history = await t.client.threads.getHistory<Value>(thread.thread_id);
    const afterFirst = history.find((s) => s.metadata?.step === 1)!;
    expect(afterFirst.tasks).toHaveLength(1);
    expect(afterFirst.tasks[0]).toMatchObject({
      name: "second",
      path: ["__pregel_pull", "second"],
      result: { value: ["second"] },
    });
    const raw = await http(t.url, "GET", `/threads/${thread.thread_id}/history`);
    const rawAfterFirst = raw.json.find((s: any) => s.metadata?.step === 1);
    expect(rawAfterFirst.tasks[0].result).toEqual({ value: ["second"] });
  });

  it("a subgraph task names its namespace only (no checkpoint_map); with subgraphs=true its checkpoint is null and its state is nested", async () => {
    const { threadId, ns, beforeChild } = await ranSubgraph();
    const flat = await t.client.threads.getState(threadId, beforeChild);
    expect(flat.tasks).toHaveLength(1);
    expect(flat.tasks[0].checkpoint).toEqual({ thread_id: threadId, checkpoint_ns: ns });
    expect(flat.tasks[0].state).toBeNull();
    expect((flat.tasks[0] as any).path).toEqual(["__pregel_pull", "child"]);

    const nested = await t.client.threads.getState(threadId, beforeChild, { subgraphs: true });
    const task = nested.tasks[0];
    expect(task.checkpoint).toBeNull();
    expect(task.state).not.toBeNull();
    expect(task.state!.values).toEqual({ value: ["x", "inner"] });
    expect(task.state!.checkpoint).toMatchObject({ thread_id: threadId, checkpoint_ns: ns });
    expect(typeof task.state!.checkpoint.checkpoint_id).toBe("string");

    const byPost = await http(t.url, "POST", `/threads/${threadId}/state/checkpoint`, {
      checkpoint: { checkpoint_id: beforeChild },
      subgraphs: true,
    });
    expect(byPost.json.tasks[0].checkpoint).toBeNull();
    expect(byPost.json.tasks[0].state.values).toEqual({ value: ["x", "inner"] });
  });
});
