/**
 * The thread around its state, as the LangGraph.js API server has it (issue 12, items 15 and 16):
 * the thread's config follows its runs and state calls build factory graphs with it;
 * `supersteps` on thread creation are applied, all or nothing. Real HTTP, real SQLite,
 * real graphs, through the official SDK (raw HTTP for status codes and bodies).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { v4 as uuidv4 } from "uuid";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { locs, type Value } from "./thread-state-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

describe("the thread's config follows its runs (item 15)", () => {
  it("after a run with a configurable, the thread shows it, and state calls build the factory graph with it", async () => {
    const thread = await t.client.threads.create();
    const final = (await t.client.runs.wait(thread.thread_id, "configured", {
      input: { value: [] },
      config: { configurable: { nodeName: "runtime" }, tags: ["t1"] },
    })) as Value;
    expect(final.value).toEqual(["runtime"]);

    const th = await t.client.threads.get(thread.thread_id);
    expect(th.config).toEqual({ configurable: { nodeName: "runtime" }, tags: ["t1"] });

    // The history as the graph built with nodeName=runtime reads it: step 0 schedules "runtime".
    const history = await t.client.threads.getHistory(thread.thread_id);
    const step0 = history.find((s) => s.metadata?.step === 0)!;
    expect(step0.next).toEqual(["runtime"]);
    expect(step0.tasks.map((task) => task.name)).toEqual(["runtime"]);
    const at = await t.client.threads.getState(thread.thread_id, step0.checkpoint.checkpoint_id!);
    expect(at.next).toEqual(["runtime"]);

    // And an update as that node is accepted and goes through its writers.
    await t.client.threads.updateState(thread.thread_id, { values: { value: ["manual"] }, asNode: "runtime" });
    const state = await t.client.threads.getState<Value>(thread.thread_id);
    expect(state.values.value).toEqual(["runtime", "manual"]);
    expect(state.next).toEqual([]);
    expect(state.metadata).toMatchObject({ source: "update" });
  });

  it("later runs merge into it: top-level keys replaced, configurable merged key by key", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "configured", {
      input: { value: [] },
      config: { configurable: { nodeName: "runtime", keep: 1 }, tags: ["a"] },
    });
    await t.client.runs.wait(thread.thread_id, "configured", {
      input: { value: [] },
      config: { configurable: { nodeName: "later" }, tags: ["b"], recursion_limit: 7 },
    });
    const th = await t.client.threads.get(thread.thread_id);
    expect(th.config).toEqual({ configurable: { nodeName: "later", keep: 1 }, tags: ["b"], recursion_limit: 7 });
    // A run without a config inherits the thread's: its node is "later".
    const third = (await t.client.runs.wait(thread.thread_id, "configured", { input: { value: [] } })) as Value;
    expect(third.value).toEqual(["runtime", "later", "later"]);
  });

  it("of concurrent enqueued runs only the one admitted on the idle thread merges its config (as on LangGraph Platform)", async () => {
    const thread = await t.client.threads.create();
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
    const runs = await Promise.all(
      keys.map((key) =>
        t.client.runs.create(thread.thread_id, "two_node", {
          input: { value: [] },
          multitaskStrategy: "enqueue",
          config: { configurable: { [key]: true } },
        }),
      ),
    );
    for (const run of runs) await t.client.runs.join(thread.thread_id, run.run_id);
    // The others were admitted while the thread was busy: the runs queued before them never see their keys.
    const th = await t.client.threads.get(thread.thread_id);
    const merged = Object.keys((th.config?.configurable ?? {}) as object);
    expect(merged).toHaveLength(1);
    expect(keys).toContain(merged[0]);
  });

  it("a run admitted while the thread is busy leaves its config alone; a run on the idle thread merges again", async () => {
    const thread = await t.client.threads.create();
    const delayed = await t.client.runs.create(thread.thread_id, "configured", {
      input: { value: [] },
      config: { configurable: { nodeName: "runtime" } },
      afterSeconds: 600,
    });
    const behind = await t.client.runs.create(thread.thread_id, "configured", {
      input: { value: [] },
      config: { configurable: { nodeName: "behind", extra: 1 } },
      multitaskStrategy: "enqueue",
    });
    expect((await t.client.threads.get(thread.thread_id)).config).toEqual({ configurable: { nodeName: "runtime" } });
    await t.client.runs.cancel(thread.thread_id, delayed.run_id, true);
    await t.client.runs.join(thread.thread_id, behind.run_id);
    expect((await t.client.threads.getState<Value>(thread.thread_id)).values.value).toEqual(["behind"]);
    expect((await t.client.threads.get(thread.thread_id)).config).toEqual({ configurable: { nodeName: "runtime" } });

    await t.client.runs.wait(thread.thread_id, "configured", {
      input: { value: [] },
      config: { configurable: { nodeName: "behind" } },
    });
    expect((await t.client.threads.get(thread.thread_id)).config).toEqual({ configurable: { nodeName: "behind" } });
    await t.client.threads.updateState(thread.thread_id, { values: { value: ["manual"] }, asNode: "behind" });
    expect((await t.client.threads.getState<Value>(thread.thread_id)).values.value).toEqual([
      "behind",
      "behind",
      "manual",
    ]);
  });

  it("a run's fork point is not kept in the thread's config", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: ["a"] } });
    const head = (await t.client.threads.getState(thread.thread_id)).checkpoint.checkpoint_id!;
    await t.client.runs.wait(thread.thread_id, "two_node", {
      input: { value: ["b"] },
      config: { configurable: { checkpoint_id: head, thread_id: thread.thread_id, keep: "yes" } },
    });
    const th = await t.client.threads.get(thread.thread_id);
    expect(th.config).toEqual({ configurable: { keep: "yes" } });
    // The next run starts from the latest checkpoint, not from `head` again.
    const third = (await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: ["c"] } })) as Value;
    expect(third.value.filter((v) => v === "first")).toHaveLength(3);
  });
});

describe("supersteps on thread creation (item 16)", () => {
  it("one checkpoint per superstep, each written as its node; state, history and cached values show them", async () => {
    const thread = await t.client.threads.create({
      graphId: "two_node",
      supersteps: [
        { updates: [{ values: { value: ["a"] }, asNode: "first" }] },
        { updates: [{ values: { value: ["b"] }, asNode: "second" }] },
        { updates: [{ values: { value: ["c"] }, asNode: "first" }] },
      ],
    });
    expect(thread.metadata).toEqual({ graph_id: "two_node" });
    const history = await t.client.threads.getHistory<Value>(thread.thread_id);
    expect(history.map((s) => s.values.value)).toEqual([["a", "b", "c"], ["a", "b"], ["a"]]);
    expect(history.map((s) => s.metadata?.source)).toEqual(["update", "update", "update"]);
    expect(history.map((s) => s.next)).toEqual([["second"], [], ["second"]]);
    expect(history[0].parent_checkpoint?.checkpoint_id).toBe(history[1].checkpoint.checkpoint_id);

    const state = await t.client.threads.getState<Value>(thread.thread_id);
    expect(state.checkpoint.checkpoint_id).toBe(history[0].checkpoint.checkpoint_id);
    const fetched = await t.client.threads.get(thread.thread_id);
    expect(fetched.values).toEqual({ value: ["a", "b", "c"] });
    expect(fetched.status).toBe("idle");

    // A run continues from the last superstep.
    const final = (await t.client.runs.wait(thread.thread_id, "two_node", { input: null })) as Value;
    expect(final.value).toEqual(["a", "b", "c", "second"]);
  });

  it("several updates in one superstep make one checkpoint; a command works as an update", async () => {
    const thread = await t.client.threads.create({
      graphId: "two_node",
      supersteps: [
        {
          updates: [
            { values: { value: ["a"] }, asNode: "first" },
            { values: { value: ["b"] }, asNode: "second" },
          ],
        },
        { updates: [{ values: null, command: { update: { value: ["cmd"] } }, asNode: "second" }] },
      ],
    });
    const history = await t.client.threads.getHistory<Value>(thread.thread_id);
    expect(history).toHaveLength(2);
    expect([...history[1].values.value].sort()).toEqual(["a", "b"]);
    expect(history[0].values.value.at(-1)).toBe("cmd");
  });

  it("a bad superstep is 422 naming its field, and no thread (nor any checkpoint) is left", async () => {
    const good = { updates: [{ values: { value: ["a"] }, as_node: "first" }] };
    const cases: { supersteps: unknown[]; loc: string }[] = [
      {
        supersteps: [good, { updates: [{ values: { value: ["b"] }, as_node: "third" }] }],
        loc: "body.supersteps.1.updates.0.as_node",
      },
      {
        supersteps: [good, { updates: [{ values: { value: 5 }, as_node: "second" }] }],
        loc: "body.supersteps.1.updates.0.values",
      },
      {
        supersteps: [good, good, { updates: [good.updates[0], { values: { value: ["x"] }, as_node: "nope" }] }],
        loc: "body.supersteps.2.updates.1.as_node",
      },
      { supersteps: [{ updates: [] }], loc: "body.supersteps.0.updates" },
    ];
    for (const { supersteps, loc } of cases) {
      const threadId = uuidv4();
      const res = await http(t.url, "POST", "/threads", {
        thread_id: threadId,
        metadata: { graph_id: "two_node" },
        supersteps,
      });
      expect(res.status, loc).toBe(422);
      expect(locs(res)).toContain(loc);
      expect((await http(t.url, "GET", `/threads/${threadId}`)).status).toBe(404);
      // The id is free, and a thread made with it starts with no checkpoints.
      await t.client.threads.create({ threadId, graphId: "two_node" });
      expect(await t.client.threads.getHistory(threadId)).toEqual([]);
    }
    await expect(
      t.client.threads.create({ graphId: "two_node", supersteps: [{ updates: [{ values: {}, asNode: "third" }] }] }),
    ).rejects.toThrow(/422/);
  });

  it("supersteps need the thread's graph: no or an unserved metadata.graph_id is 422 and creates nothing", async () => {
    const steps = [{ updates: [{ values: { value: ["a"] }, as_node: "first" }] }];
    for (const metadata of [{}, { graph_id: "no_such_graph" }, { graph_id: 7 }]) {
      const threadId = uuidv4();
      const res = await http(t.url, "POST", "/threads", { thread_id: threadId, metadata, supersteps: steps });
      expect(res.status, JSON.stringify(metadata)).toBe(422);
      expect(locs(res)).toEqual(["body.metadata.graph_id"]);
      expect((await http(t.url, "GET", `/threads/${threadId}`)).status).toBe(404);
    }
    // No supersteps (or an empty list) need no graph.
    const plain = await http(t.url, "POST", "/threads", { supersteps: [] });
    expect(plain.status).toBe(200);
    expect(await t.client.threads.getHistory(plain.json.thread_id)).toEqual([]);
  });

  it("an existing thread: raise is 409 and if_exists=do_nothing returns it untouched", async () => {
    const thread = await t.client.threads.create({
      graphId: "two_node",
      supersteps: [{ updates: [{ values: { value: ["a"] }, asNode: "first" }] }],
    });
    const steps = [{ updates: [{ values: { value: ["b"] }, as_node: "second" }] }];
    const body = { thread_id: thread.thread_id, metadata: { graph_id: "two_node" }, supersteps: steps };
    const raise = await http(t.url, "POST", "/threads", body);
    expect(raise.status).toBe(409);
    const same = await http(t.url, "POST", "/threads", { ...body, if_exists: "do_nothing" });
    expect(same.status).toBe(200);
    expect(same.json.thread_id).toBe(thread.thread_id);
    const history = await t.client.threads.getHistory<Value>(thread.thread_id);
    expect(history.map((s) => s.values.value)).toEqual([["a"]]);
  });
});
