/**
 * The closing `end` event: the official LangGraph.js server sends none, and SDK 1.15 hands `event: end`
 * to every `client.runs.stream` user as a chunk, so by default there is none. THREADGATE_STREAM_END_EVENT
 * (config `streamEndEvent`) turns it back on for frontends that wait for it (DeerFlow-style).
 * Either way the response is finished when the run's stream is over.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";

async function streamBody(url: string, route: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  // text() resolves only once the response has been finished by the server.
  return { status: res.status, text: await res.text() };
}

const eventsOf = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith("event: "))
    .map((line) => line.slice("event: ".length));

describe("stream end, default (no `end` event)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it("runs/stream finishes the response after the run's last event, with no `end` event", async () => {
    const thread = await t.client.threads.create();
    const { status, text } = await streamBody(t.url, `/threads/${thread.thread_id}/runs/stream`, {
      assistant_id: "two_node",
      input: { value: [] },
      stream_mode: ["values"],
    });
    expect(status).toBe(200);
    expect(eventsOf(text)).toEqual(["metadata", "values", "values", "values"]);
    expect(text).not.toContain("event: end");
  });

  it("the SDK's last chunk of a failed run is its `error`, not `end`", async () => {
    const thread = await t.client.threads.create();
    const chunks = [];
    for await (const c of t.client.runs.stream(thread.thread_id, "fail", { input: {} })) chunks.push(c);
    expect(chunks.map((c) => c.event)).toEqual(["metadata", "error"]);
  });

  it("joining a finished run's stream replays it and closes, with no `end`", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "two_node", { input: { value: [] } });
    await t.client.runs.join(thread.thread_id, run.run_id);
    const chunks = [];
    for await (const c of t.client.runs.joinStream(thread.thread_id, run.run_id)) chunks.push(c);
    expect(chunks.map((c) => c.event)).toEqual(["metadata", "values", "values", "values"]);
  });

  it("stateless runs/stream has no `end` either", async () => {
    const chunks = [];
    for await (const c of t.client.runs.stream(null, "two_node", { input: { value: [] }, streamMode: "updates" }))
      chunks.push(c);
    expect(chunks.map((c) => c.event)).toEqual(["metadata", "updates", "updates"]);
  });
});

describe("stream end, THREADGATE_STREAM_END_EVENT=true", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ streamEndEvent: true });
  });
  afterAll(() => t.close());

  it("every stream closes with `event: end` / `data: null`", async () => {
    const thread = await t.client.threads.create();
    const { text } = await streamBody(t.url, `/threads/${thread.thread_id}/runs/stream`, {
      assistant_id: "two_node",
      input: { value: [] },
      stream_mode: ["values"],
    });
    expect(eventsOf(text)).toEqual(["metadata", "values", "values", "values", "end"]);
    expect(text.endsWith("event: end\ndata: null\n\n")).toBe(true);

    const [run] = await t.client.runs.list(thread.thread_id);
    const joined = [];
    for await (const c of t.client.runs.joinStream(thread.thread_id, run.run_id)) joined.push(c.event);
    expect(joined.at(-1)).toBe("end");
  });
});
