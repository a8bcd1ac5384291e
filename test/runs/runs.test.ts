/** Runs on a thread, through the official SDK client over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threadId } from "node:worker_threads";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const hello = { messages: [{ role: "user", content: "hello there" }] };

describe("runs", () => {
  it("the graph runs where THREADGATE_GRAPH_WORKERS says (each test project sets it)", async () => {
    const thread = await t.client.threads.create();
    const out = (await t.client.runs.wait(thread.thread_id, "where", { input: {} })) as { seen: { thread: number }[] };
    const inProcess = process.env.THREADGATE_GRAPH_WORKERS === "0";
    expect(out.seen[0].thread === threadId).toBe(inProcess);
  });

  it("runs.wait returns the final state values", async () => {
    const thread = await t.client.threads.create();
    const values = (await t.client.runs.wait(thread.thread_id, "echo", { input: hello })) as {
      messages: { type: string; content: string }[];
    };
    expect(values.messages.map((m) => m.type)).toEqual(["human", "ai"]);
    expect(values.messages[1].content).toBe('I am Threadgate\'s offline model. You said: "hello there".');
  });

  it("runs.stream yields metadata first, then the graph's events with ids 0..n", async () => {
    const thread = await t.client.threads.create();
    const chunks: { event: string; data: any; id?: string }[] = [];
    let created: { run_id: string; thread_id?: string } | undefined;
    for await (const chunk of t.client.runs.stream(thread.thread_id, "two_node", {
      input: { value: [] },
      streamMode: ["values", "updates"],
      onRunCreated: (meta) => {
        created = meta;
      },
    })) {
      chunks.push(chunk as any);
    }
    expect(chunks[0].event).toBe("metadata");
    expect(chunks[0].data.run_id).toBe(created?.run_id);
    expect(created?.thread_id).toBe(thread.thread_id);
    expect(chunks.map((c) => c.event)).toEqual(["metadata", "values", "updates", "values", "updates", "values"]);
    const events = chunks;
    expect(events.map((c) => c.id)).toEqual(events.map((_, i) => String(i)));
    expect(events.at(-1)!.data).toEqual({ value: ["first", "second"] });
    expect(chunks[2].data).toEqual({ first: { value: ["first"] } });
  });

  it("streams messages-tuple as `messages` events with [chunk, metadata]", async () => {
    const thread = await t.client.threads.create();
    const tuples: any[] = [];
    for await (const chunk of t.client.runs.stream(thread.thread_id, "echo", {
      input: hello,
      streamMode: "messages-tuple",
    })) {
      if (chunk.event === "messages") tuples.push(chunk.data);
    }
    expect(tuples.length).toBeGreaterThan(3);
    const ids = new Set(tuples.map(([msg]) => msg.id));
    expect(ids.size).toBe(1);
    expect(tuples.map(([msg]) => msg.content).join("")).toBe(
      'I am Threadgate\'s offline model. You said: "hello there".',
    );
    expect(tuples[0][1].langgraph_node).toBe("agent");
  });

  it("custom events reach the stream", async () => {
    const thread = await t.client.threads.create();
    const custom: unknown[] = [];
    for await (const chunk of t.client.runs.stream(thread.thread_id, "custom_events", {
      input: {},
      streamMode: "custom",
      config: { configurable: { count: 3 } },
    })) {
      if (chunk.event === "custom") custom.push(chunk.data);
    }
    expect(custom).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
  });

  it("a failing graph streams an error event and the run ends as error", async () => {
    const thread = await t.client.threads.create();
    const events: { event: string; data: any }[] = [];
    let runId = "";
    for await (const chunk of t.client.runs.stream(thread.thread_id, "fail", {
      input: {},
      onRunCreated: (m) => {
        runId = m.run_id;
      },
    })) {
      events.push(chunk as any);
    }
    expect(events.map((e) => e.event)).toEqual(["metadata", "error"]);
    expect(events[1].data).toEqual({ error: "Error", message: "boom" });
    const run = await t.client.runs.get(thread.thread_id, runId);
    expect(run.status).toBe("error");
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("error");
  });

  it("runs.create + runs.join + runs.get ends success; runs.list lists it", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "echo", { input: hello });
    expect(["pending", "running"]).toContain(run.status);
    const values = (await t.client.runs.join(thread.thread_id, run.run_id)) as { messages: unknown[] };
    expect(values.messages).toHaveLength(2);
    const fetched = await t.client.runs.get(thread.thread_id, run.run_id);
    expect(fetched.status).toBe("success");
    expect(fetched.assistant_id).toBe(run.assistant_id);
    const second = await t.client.runs.create(thread.thread_id, "echo", { input: hello });
    await t.client.runs.join(thread.thread_id, second.run_id);
    const listed = await t.client.runs.list(thread.thread_id);
    expect(listed.map((r) => r.run_id)).toEqual([second.run_id, run.run_id]);
    const page = await t.client.runs.list(thread.thread_id, { limit: 1, offset: 1 });
    expect(page.map((r) => r.run_id)).toEqual([run.run_id]);
    const thr = await t.client.threads.get(thread.thread_id);
    expect(thr.status).toBe("idle");
    expect(thr.metadata).toMatchObject({ graph_id: "echo" });
  });

  it("multitask_strategy=reject answers 409 while the thread is busy", async () => {
    const thread = await t.client.threads.create();
    const first = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { step_ms: 100 } },
    });
    await expect(
      t.client.runs.create(thread.thread_id, "echo", { input: hello, multitaskStrategy: "reject" }),
    ).rejects.toThrow(/409/);
    await t.client.runs.join(thread.thread_id, first.run_id);
    expect((await t.client.runs.list(thread.thread_id)).length).toBe(1);
  });

  it("an unknown run is 404, and so is a run asked for under another thread", async () => {
    const thread = await t.client.threads.create();
    const other = await t.client.threads.create();
    await expect(t.client.runs.get(thread.thread_id, "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/404/);
    const run = await t.client.runs.create(thread.thread_id, "echo", { input: hello });
    await expect(t.client.runs.get(other.thread_id, run.run_id)).rejects.toThrow(/404/);
    await expect(t.client.runs.cancel(other.thread_id, run.run_id)).rejects.toThrow(/404/);
    await t.client.runs.join(thread.thread_id, run.run_id);
  });

  it("a run on a missing thread is 404, or creates it with if_not_exists=create", async () => {
    const missing = "11111111-1111-4111-8111-111111111111";
    await expect(t.client.runs.create(missing, "echo", { input: hello })).rejects.toThrow(/404/);
    const run = await t.client.runs.create(missing, "echo", { input: hello, ifNotExists: "create" });
    await t.client.runs.join(missing, run.run_id);
    expect((await t.client.threads.get(missing)).thread_id).toBe(missing);
  });

  it("an unknown assistant is 404", async () => {
    const thread = await t.client.threads.create();
    await expect(t.client.runs.create(thread.thread_id, "no-such-graph", { input: hello })).rejects.toThrow(/404/);
  });

  it("a wrong type is 422 naming the field, and nothing is written", async () => {
    const thread = await t.client.threads.create();
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/runs`, {
      assistant_id: "echo",
      stream_subgraphs: "yes please",
      config: { recursion_limit: "many" },
    });
    expect(res.status).toBe(422);
    const locs = res.json.detail.map((d: { loc: string[] }) => d.loc.join("."));
    expect(locs).toContain("body.stream_subgraphs");
    expect(locs).toContain("body.config.recursion_limit");
    expect(res.json.detail.every((d: { msg: string }) => d.msg.length > 0)).toBe(true);
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("idle");
  });

  it("unknown body fields are ignored (newer SDKs send new ones)", async () => {
    const thread = await t.client.threads.create();
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/wait`, {
      assistant_id: "echo",
      input: hello,
      some_future_option: { x: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.json.messages).toHaveLength(2);
  });
});
