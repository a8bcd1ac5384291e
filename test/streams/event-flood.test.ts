/**
 * Event floods: a graph that writes its stream faster than the store takes it is held back where it
 * emits (credit between a graph worker and the server thread, a bounded buffer of unstored events in
 * the stream log), and nothing of it is lost or reordered. The buffer here is the smallest allowed
 * (16 KB), so every flood below waits on it thousands of times. The memory and `/ok` latency this
 * bounds are measured by `npm run bench` (the event-flood rows), not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const TINY_BUFFER = 16 * 1024;

/** The `i` of every custom event of a stream, in arrival order. */
async function customIndices(chunks: AsyncIterable<{ event: string; data: unknown }>): Promise<number[]> {
  const seen: number[] = [];
  for await (const chunk of chunks) if (chunk.event === "custom") seen.push((chunk.data as { i: number }).i);
  return seen;
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

// Both executors: the suite's "graphs in process" project runs this file again with THREADGATE_GRAPH_WORKERS=0.
describe("event floods with a 16 KB buffer", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ streamBufferBytes: TINY_BUFFER });
  });
  afterAll(() => t.close());

  it("three floods at once: each stream gets every event in order, and the store has them all", async () => {
    const count = 4_000;
    const threads = await Promise.all([1, 2, 3].map(() => t.client.threads.create()));
    const streamed = await Promise.all(
      threads.map((thread) =>
        customIndices(
          t.client.runs.stream(thread.thread_id, "custom_events", {
            input: {},
            streamMode: ["custom"],
            config: { configurable: { count, pad: 300 } },
          }),
        ),
      ),
    );
    for (const seen of streamed) expect(seen).toEqual(upTo(count));
    for (const thread of threads) {
      const [run] = await t.client.runs.list(thread.thread_id);
      expect(run.status).toBe("success");
      // Joined after its end, the run's stream is replayed from the store: all of it.
      expect(await customIndices(t.client.runs.joinStream(thread.thread_id, run.run_id))).toEqual(upTo(count));
    }
  });

  it("a reader that joins a flood late gets it all, from the first event", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "custom_events", {
      input: {},
      streamMode: ["custom"],
      streamResumable: true,
      config: { configurable: { count: 6_000, pad: 300 } },
    });
    const early = customIndices(t.client.runs.joinStream(thread.thread_id, run.run_id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const late = customIndices(t.client.runs.joinStream(thread.thread_id, run.run_id, { lastEventId: "-1" }));
    expect(await early).toEqual(upTo(6_000));
    expect(await late).toEqual(upTo(6_000));
  });

  it("a flood waiting for room is cancelled, and the server answers meanwhile", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "custom_events", {
      input: {},
      streamMode: ["custom"],
      streamResumable: true,
      // 30,000 × 300 B is ~550 times the buffer. The node writes them in one synchronous loop, which
      // takes LangGraph ~0.1 ms an event before the first reaches the run (150,000 took 16 s, and over
      // 30 s on a loaded machine).
      config: { configurable: { count: 30_000, pad: 300 } },
    });
    // Wait until it is streaming, then read nothing more: the flood is now held back by the buffer.
    for await (const chunk of t.client.runs.joinStream(thread.thread_id, run.run_id, { lastEventId: "-1" }))
      if (chunk.event === "custom") break;
    const ok = await fetch(`${t.url}/ok`);
    expect(ok.status).toBe(200);
    await t.client.runs.cancel(thread.thread_id, run.run_id, true, "interrupt");
    const ended = await t.client.runs.get(thread.thread_id, run.run_id);
    expect(ended.status).toBe("interrupted");
    // What it had streamed is kept, in order, and ends at the cancel.
    const kept = await customIndices(t.client.runs.joinStream(thread.thread_id, run.run_id, { lastEventId: "-1" }));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(30_000);
    expect(kept).toEqual(upTo(kept.length));
    // The thread takes its next run.
    const next = await t.client.runs.wait(thread.thread_id, "custom_events", {
      input: {},
      config: { configurable: { count: 10 } },
    });
    expect(next).toMatchObject({ emitted: 10 });
  });
});

describe("the stream buffer setting", () => {
  it("is read in KB and refused outside 16 KB .. 1 GiB, naming the setting", () => {
    expect(loadConfig({ THREADGATE_STREAM_BUFFER_KB: "256" }).streamBufferBytes).toBe(256 * 1024);
    expect(loadConfig({}).streamBufferBytes).toBe(1024 * 1024);
    for (const bad of ["8", "1.5", "lots", "2000000"])
      expect(() => loadConfig({ THREADGATE_STREAM_BUFFER_KB: bad })).toThrow(/THREADGATE_STREAM_BUFFER_KB/);
  });
});
