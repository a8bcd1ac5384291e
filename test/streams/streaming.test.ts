/** Joining, resuming and disconnecting from run streams. */
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

type Chunk = { event: string; data: unknown; id?: string };

async function collect(iter: AsyncIterable<unknown>, stopAfter = Infinity): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const chunk of iter) {
    out.push(chunk as Chunk);
    if (out.length >= stopAfter) break;
  }
  return out;
}

/** Reads a raw SSE response with a real SSE parser; returns events and comments. */
async function readSse(
  res: Response,
  stopAfterMs?: number,
): Promise<{ events: EventSourceMessage[]; comments: string[] }> {
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const deadline = stopAfterMs ? Date.now() + stopAfterMs : Infinity;
  for (;;) {
    if (Date.now() > deadline) {
      await reader.cancel();
      break;
    }
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return { events, comments };
}

function slowCustomRun(threadId: string, extra: Record<string, unknown> = {}) {
  return t.client.runs.create(threadId, "slow", {
    input: {},
    streamMode: ["custom", "updates"],
    config: { configurable: { total_steps: 6, step_ms: 80 } },
    ...extra,
  });
}

describe("streaming", () => {
  it("joinStream replays a run from the start, then follows it live to the end", async () => {
    const thread = await t.client.threads.create();
    const run = await slowCustomRun(thread.thread_id);
    const chunks = await collect(t.client.runs.joinStream(thread.thread_id, run.run_id));
    const events = chunks.filter((c) => c.event !== "end");
    expect(events[0].event).toBe("metadata");
    expect(events.filter((c) => c.event === "custom").map((c) => c.data)).toEqual(
      [1, 2, 3, 4, 5, 6].map((step) => ({ step })),
    );
    expect(events.map((c) => c.id)).toEqual(events.map((_, i) => String(i)));
    expect(chunks.map((c) => c.event)).not.toContain("end"); // none by default, as the official servers
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
  });

  it("a client that leaves and rejoins with Last-Event-ID gets every event once, in order", async () => {
    const thread = await t.client.threads.create();
    const run = await slowCustomRun(thread.thread_id);
    const firstPart = await collect(t.client.runs.joinStream(thread.thread_id, run.run_id), 4);
    const lastId = firstPart.at(-1)!.id!;
    const rest = await collect(t.client.runs.joinStream(thread.thread_id, run.run_id, { lastEventId: lastId }));
    const full = await collect(t.client.runs.joinStream(thread.thread_id, run.run_id));

    const joined = [...firstPart, ...rest].filter((c) => c.event !== "end");
    const reference = full.filter((c) => c.event !== "end");
    expect(joined.map((c) => c.id)).toEqual(reference.map((c) => c.id));
    expect(joined.map((c) => c.data)).toEqual(reference.map((c) => c.data));
    expect(new Set(joined.map((c) => c.id)).size).toBe(joined.length);
  });

  it("Last-Event-ID -1 replays everything; a join on a finished run replays and closes", async () => {
    const thread = await t.client.threads.create();
    const run = await slowCustomRun(thread.thread_id);
    await t.client.runs.join(thread.thread_id, run.run_id);
    const res = await fetch(`${t.url}/threads/${thread.thread_id}/runs/${run.run_id}/stream`, {
      headers: { "Last-Event-ID": "-1" },
    });
    const started = Date.now();
    const { events } = await readSse(res);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(events[0]).toMatchObject({ event: "metadata", id: "0" });
    expect(events.map((e) => e.event)).not.toContain("end");
    expect(events.filter((e) => e.event === "custom")).toHaveLength(6);
  });

  it("idle streams carry `: heartbeat` comments", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      streamMode: ["custom"],
      config: { configurable: { total_steps: 2, step_ms: 1300 } },
    });
    const res = await fetch(`${t.url}/threads/${thread.thread_id}/runs/${run.run_id}/stream`);
    const { comments, events } = await readSse(res);
    expect(comments.map((c) => c.trim())).toContain("heartbeat");
    expect(events.filter((e) => e.event === "custom")).toHaveLength(2);
  });

  it("runs.stream sets Content-Location and Location before the first event", async () => {
    const thread = await t.client.threads.create();
    const res = await fetch(`${t.url}/threads/${thread.thread_id}/runs/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "two_node", input: { value: [] } }),
    });
    const location = res.headers.get("content-location");
    expect(location).toMatch(new RegExp(`^/threads/${thread.thread_id}/runs/[0-9a-f-]{36}$`));
    expect(res.headers.get("location")).toBe(`${location}/stream`);
    const { events } = await readSse(res);
    expect(JSON.parse(events[0].data)).toEqual({ run_id: location!.split("/").at(-1), attempt: 1 });
  });

  it("a client that disconnects from a run created with on_disconnect=cancel cancels it", async () => {
    const thread = await t.client.threads.create();
    const abort = new AbortController();
    let runId = "";
    const seen: Chunk[] = [];
    // Aborting ends the SDK's iteration (quietly or with an AbortError, depending on timing).
    await (async () => {
      for await (const chunk of t.client.runs.stream(thread.thread_id, "slow", {
        input: {},
        streamMode: ["custom"],
        onDisconnect: "cancel",
        config: { configurable: { total_steps: 50, step_ms: 50 } },
        signal: abort.signal,
        onRunCreated: (m) => {
          runId = m.run_id;
        },
      })) {
        seen.push(chunk as Chunk);
        if (seen.length === 3) abort.abort();
      }
    })().catch((err: Error) => expect(err.name).toBe("AbortError"));
    await waitFor(async () => (await t.client.runs.get(thread.thread_id, runId)).status === "interrupted");
    const state = await t.client.threads.getState<{ steps: string[] }>(thread.thread_id);
    expect((state.values as { steps: string[] }).steps.length).toBeLessThan(50);
  });

  it("with on_disconnect=continue the run goes on after the client leaves", async () => {
    const thread = await t.client.threads.create();
    const abort = new AbortController();
    let runId = "";
    // Aborting ends the SDK's iteration (quietly or with an AbortError, depending on timing).
    await (async () => {
      for await (const chunk of t.client.runs.stream(thread.thread_id, "slow", {
        input: {},
        streamMode: ["custom"],
        onDisconnect: "continue",
        config: { configurable: { total_steps: 4, step_ms: 50 } },
        signal: abort.signal,
        onRunCreated: (m) => {
          runId = m.run_id;
        },
      })) {
        if ((chunk as Chunk).event === "custom") abort.abort();
      }
    })().catch((err: Error) => expect(err.name).toBe("AbortError"));
    await waitFor(async () => (await t.client.runs.get(thread.thread_id, runId)).status === "success");
  });
});

describe("stream log bounds", () => {
  it("a long stream read through a small in-memory window loses nothing", async () => {
    const small = await startTestServer({ streamEventsInMemory: 20 });
    try {
      const thread = await small.client.threads.create();
      const run = await small.client.runs.create(thread.thread_id, "custom_events", {
        input: {},
        streamMode: ["custom"],
        config: { configurable: { count: 500 } },
      });
      const early = collect(small.client.runs.joinStream(thread.thread_id, run.run_id));
      await small.client.runs.join(thread.thread_id, run.run_id);
      const late = await collect(small.client.runs.joinStream(thread.thread_id, run.run_id, { lastEventId: "100" }));
      const all = (await early).filter((c) => c.event === "custom");
      expect(all.map((c) => c.data)).toEqual(Array.from({ length: 500 }, (_, i) => ({ i })));
      expect(late.filter((c) => c.event !== "end").map((c) => Number(c.id))).toEqual(
        Array.from({ length: 400 }, (_, i) => 101 + i), // seq 0 is metadata, 1..500 the custom events
      );
    } finally {
      await small.close();
    }
  });

  it("logs past their retention are purged; joining such a run ends at once", async () => {
    const short = await startTestServer({ streamRetentionSeconds: 1 });
    try {
      const thread = await short.client.threads.create();
      const run = await short.client.runs.create(thread.thread_id, "two_node", { input: { value: [] } });
      await short.client.runs.join(thread.thread_id, run.run_id);
      const before = await collect(short.client.runs.joinStream(thread.thread_id, run.run_id));
      expect(before.length).toBeGreaterThan(2);
      await waitFor(async () => {
        const after = await collect(short.client.runs.joinStream(thread.thread_id, run.run_id));
        return after.length === 0;
      }, 5_000);
    } finally {
      await short.close();
    }
  });
});
