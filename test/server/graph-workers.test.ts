/**
 * Where graphs run: in graph worker threads by default (THREADGATE_GRAPH_WORKERS,
 * default 1), in the server's own thread with 0. Runs behave the same either
 * way (the rest of the suite runs on the default); here: that graphs run where
 * the setting says, that runs of one thread may move between workers and keep
 * their state, and that a worker that dies ends its runs as errors and is
 * replaced while the server goes on.
 */
import { afterAll, describe, expect, it } from "vitest";
import { threadId } from "node:worker_threads";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import type { ServerConfig } from "../../src/config.ts";

interface Place {
  pid: number;
  thread: number;
}

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A server with that many graph workers, or the default. */
async function server(graphWorkers?: number, more: Partial<ServerConfig> = {}): Promise<TestServer> {
  const t = await startTestServer({ ...(graphWorkers === undefined ? {} : { graphWorkers }), ...more });
  servers.push(t);
  return t;
}

async function seen(t: TestServer, threadId: string): Promise<Place[]> {
  const state = await t.client.threads.getState<{ seen: Place[] }>(threadId);
  return (state.values as { seen?: Place[] }).seen ?? [];
}

describe("graph workers", () => {
  it("by default a graph runs in a worker thread of the server's process", async () => {
    const t = await server();
    const thread = await t.client.threads.create();
    const out = (await t.client.runs.wait(thread.thread_id, "where", { input: {} })) as { seen: Place[] };
    expect(out.seen).toHaveLength(1);
    expect(out.seen[0].pid).toBe(process.pid);
    expect(out.seen[0].thread).not.toBe(threadId);
  });

  it("with 0 workers a graph runs in the server's own thread", async () => {
    const t = await server(0);
    const thread = await t.client.threads.create();
    const out = (await t.client.runs.wait(thread.thread_id, "where", { input: {} })) as { seen: Place[] };
    expect(out.seen).toEqual([{ pid: process.pid, thread: threadId }]);
  });

  it("with 2 workers runs spread over both, and a thread's runs keep its state wherever they run", async () => {
    const t = await server(2);
    const threads = await Promise.all(Array.from({ length: 6 }, () => t.client.threads.create()));
    // Overlapping runs go to the worker with the fewest runs: both get some. Each run lasts long
    // enough that the next one starts before it ends, or they could all go to the first worker.
    const overlapping = { input: {}, config: { configurable: { step_ms: 300 } } };
    await Promise.all(threads.map((th) => t.client.runs.wait(th.thread_id, "where", overlapping)));
    const places = (await Promise.all(threads.map((th) => seen(t, th.thread_id)))).flat();
    expect(new Set(places.map((p) => p.thread)).size).toBe(2);
    // One thread, runs one after the other: each run starts from the state the last one left.
    const one = threads[0];
    for (let i = 0; i < 4; i++) await t.client.runs.wait(one.thread_id, "where", { input: {} });
    expect(await seen(t, one.thread_id)).toHaveLength(5);
  });

  it("a worker that dies ends its runs as errors and is replaced; the server goes on", async () => {
    const t = await server(1);
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "where", {
      input: {},
      config: { configurable: { crash: true } },
    });
    const chunks = [];
    for await (const chunk of t.client.runs.joinStream(thread.thread_id, run.run_id)) chunks.push(chunk);
    expect(chunks.find((c) => c.event === "error")?.data).toMatchObject({ error: "GraphWorkerExit" });
    const ended = await t.client.runs.get(thread.thread_id, run.run_id);
    expect(ended.status).toBe("error");
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("error");
    // The next run gets the replacement worker and completes (with no worker left it would fail).
    // It says crash: false, as the thread's config keeps the first run's crash: true.
    const before = (await seen(t, thread.thread_id)).length;
    const out = (await t.client.runs.wait(thread.thread_id, "where", {
      input: {},
      config: { configurable: { crash: false } },
    })) as { seen: Place[] };
    expect(out.seen).toHaveLength(before + 1);
    expect(out.seen.at(-1)?.thread).not.toBe(threadId);
  });

  it("a graph that runs its worker out of THREADGATE_GRAPH_WORKER_HEAP_MB fails its run saying so; the server goes on", async () => {
    const t = await server(1, { graphWorkerHeapMb: 160 });
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "where", {
      input: {},
      config: { configurable: { hog: true } },
    });
    const chunks = [];
    for await (const chunk of t.client.runs.joinStream(thread.thread_id, run.run_id)) chunks.push(chunk);
    const error = chunks.find((c) => c.event === "error")?.data as { error: string; message: string };
    expect(error).toMatchObject({ error: "GraphWorkerOutOfMemory" });
    expect(error.message).toContain("THREADGATE_GRAPH_WORKER_HEAP_MB=160");
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("error");
    expect((await fetch(`${t.url}/ok`)).status).toBe(200);
    const out = (await t.client.runs.wait(thread.thread_id, "where", {
      input: {},
      config: { configurable: { hog: false } },
    })) as { seen: Place[] };
    expect(out.seen.at(-1)?.thread).not.toBe(threadId);
  });
});
