/**
 * `GET /threads/{thread_id}/stream` (the SDK's `threads.joinStream`): a thread's stream across its
 * runs, served from the runs' stored logs. Frames: `run_modes` (each run's events, id
 * `<run_id>:<seq>`), `lifecycle` (`<run_id>:start`, `<run_id>:end`), `state_update` (`<run_id>:state`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { http, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { clientWith } from "../helpers/sdk.ts";
import {
  OpenStream,
  lifecycleEnd,
  lifecycleStart,
  parsed,
  runLog,
  stateUpdate,
  type Frame,
  type Parsed,
} from "./thread-stream-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const ALL_MODES = "stream_modes=lifecycle&stream_modes=run_modes&stream_modes=state_update";

/** Runs `two_node` on the thread to its end; its run id. */
async function runTwoNode(client: Client, threadId: string): Promise<string> {
  const run = await client.runs.create(threadId, "two_node", { input: { value: [] } });
  await client.runs.join(threadId, run.run_id);
  return run.run_id;
}

/** A thread with two finished `two_node` runs, and their logs one after the other. */
async function threadWithTwoRuns(server = t) {
  const threadId = (await server.client.threads.create()).thread_id;
  const runs = [await runTwoNode(server.client, threadId), await runTwoNode(server.client, threadId)];
  const logs = await Promise.all(runs.map((runId) => runLog(server.url, threadId, runId)));
  return { threadId, runs, logs, events: logs.flat() };
}

/** Every frame of a finished `two_node` run in all modes: its start, its events, its state, its end. */
function allModesOf(threadId: string, runId: string, log: Frame[], values: unknown): Parsed[] {
  return [
    lifecycleStart(threadId, runId),
    ...parsed(log),
    stateUpdate(threadId, runId, values),
    lifecycleEnd(threadId, runId, "success"),
  ];
}

const AFTER_ONE = { value: ["first", "second"] };
const AFTER_TWO = { value: ["first", "second", "first", "second"] };

/** Reads the SDK's joinStream until it has given `n` frames, then leaves. */
async function sdkFrames(
  client: Client,
  threadId: string,
  options: Parameters<Client["threads"]["joinStream"]>[1],
  n: number,
): Promise<Parsed[]> {
  const abort = new AbortController();
  const out: Parsed[] = [];
  try {
    for await (const chunk of client.threads.joinStream(threadId, { ...options, signal: abort.signal })) {
      out.push({ id: chunk.id ?? "", event: chunk.event, data: chunk.data as unknown });
      if (out.length >= n) break;
    }
  } finally {
    abort.abort();
  }
  return out;
}

describe("thread stream: runs in order, with ids", () => {
  it("one open stream carries two consecutive runs' events in order, each `<run_id>:<seq>`", async () => {
    const threadId = (await t.client.threads.create()).thread_id;
    const stream = await OpenStream.open(t.url, threadId);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    // Where the SDK reconnects when the connection drops.
    expect(stream.response.headers.get("location")).toBe(`/threads/${threadId}/stream`);
    const first = await runTwoNode(t.client, threadId);
    const second = await runTwoNode(t.client, threadId);
    const expected = [...(await runLog(t.url, threadId, first)), ...(await runLog(t.url, threadId, second))];
    expect(expected.map((f) => `${f.event} ${f.id}`)).toEqual([
      ...["metadata", "values", "values", "values"].map((e, seq) => `${e} ${first}:${seq}`),
      ...["metadata", "values", "values", "values"].map((e, seq) => `${e} ${second}:${seq}`),
    ]);
    const got = await stream.untilCount(expected.length);
    stream.close();
    expect(got).toEqual(expected);
  });

  it("Last-Event-ID from the middle of the first run resumes right after it, on into the second (SDK)", async () => {
    const { threadId, runs, events } = await threadWithTwoRuns();
    const lastEventId = `${runs[0]}:1`;
    const rest = await sdkFrames(t.client, threadId, { lastEventId }, events.length - 2);
    expect(rest).toEqual(parsed(events.slice(2)));
    expect(rest[0].id).toBe(`${runs[0]}:2`);
  });

  it("`-` replays every run the thread has, from its first event (SDK)", async () => {
    const { threadId, events } = await threadWithTwoRuns();
    expect(await sdkFrames(t.client, threadId, { lastEventId: "-" }, events.length)).toEqual(parsed(events));
  });

  it("without Last-Event-ID only what is published from now on comes: a new run's events", async () => {
    const { threadId } = await threadWithTwoRuns();
    const stream = await OpenStream.open(t.url, threadId, { query: ALL_MODES });
    const third = await runTwoNode(t.client, threadId);
    const got = await stream.untilId(`${third}:end`);
    stream.close();
    expect(parsed(got)).toEqual(
      allModesOf(threadId, third, await runLog(t.url, threadId, third), {
        value: [...AFTER_TWO.value, "first", "second"],
      }),
    );
  });

  it("without Last-Event-ID a run in flight goes on from its next event, then ends", async () => {
    const threadId = (await t.client.threads.create()).thread_id;
    const gate = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "thread-stream-")), "open");
    const run = await t.client.runs.create(threadId, "gate", {
      input: {},
      streamMode: ["custom", "values"],
      config: { configurable: { gate_file: gate } },
    });
    // The run waits at its gate once its `custom` event is out: nothing more is published until it opens.
    const before = await OpenStream.open(t.url, threadId, { lastEventId: "-" });
    const waiting = (await before.until((fs) => fs.some((f) => f.event === "custom"))).length;
    before.close();
    const stream = await OpenStream.open(t.url, threadId, { query: "stream_mode=run_modes&stream_mode=lifecycle" });
    fs.writeFileSync(gate, "");
    const got = await stream.untilId(`${run.run_id}:end`);
    stream.close();
    const log = await runLog(t.url, threadId, run.run_id);
    expect(parsed(got)).toEqual([...parsed(log.slice(waiting)), lifecycleEnd(threadId, run.run_id, "success")]);
    expect(got.map((f) => f.event)).toEqual(["values", "lifecycle"]);
  });

  it("an idle stream carries `: heartbeat` comments and stays open", async () => {
    const threadId = (await t.client.threads.create()).thread_id;
    const stream = await OpenStream.open(t.url, threadId);
    await stream.until(() => stream.comments.includes("heartbeat"));
    const first = await runTwoNode(t.client, threadId);
    await stream.untilId(`${first}:3`);
    stream.close();
  });
});

describe("thread stream: modes", () => {
  it("lifecycle and state_update (the SDK's `stream_mode`): each run's start, values after it, end", async () => {
    const { threadId, runs } = await threadWithTwoRuns();
    const got = await sdkFrames(t.client, threadId, { lastEventId: "-", streamMode: ["lifecycle", "state_update"] }, 6);
    expect(got).toEqual([
      lifecycleStart(threadId, runs[0]),
      // Each run's own values, also when replayed after later runs.
      stateUpdate(threadId, runs[0], AFTER_ONE),
      lifecycleEnd(threadId, runs[0], "success"),
      lifecycleStart(threadId, runs[1]),
      stateUpdate(threadId, runs[1], AFTER_TWO),
      lifecycleEnd(threadId, runs[1], "success"),
    ]);
  });

  it("all three modes (`stream_modes`, official name): start, events, state, end of each run", async () => {
    const { threadId, runs, logs } = await threadWithTwoRuns();
    const stream = await OpenStream.open(t.url, threadId, { lastEventId: "-", query: ALL_MODES });
    const got = await stream.untilId(`${runs[1]}:end`);
    stream.close();
    expect(parsed(got)).toEqual([
      ...allModesOf(threadId, runs[0], logs[0], AFTER_ONE),
      ...allModesOf(threadId, runs[1], logs[1], AFTER_TWO),
    ]);
  });

  it("`stream_mode` and `stream_modes` add up; one value is as good as a list", async () => {
    const { threadId, runs } = await threadWithTwoRuns();
    const stream = await OpenStream.open(t.url, threadId, {
      lastEventId: `${runs[0]}:end`,
      query: "stream_mode=state_update&stream_modes=lifecycle",
    });
    const got = await stream.untilId(`${runs[1]}:end`);
    stream.close();
    expect(parsed(got)).toEqual([
      lifecycleStart(threadId, runs[1]),
      stateUpdate(threadId, runs[1], AFTER_TWO),
      lifecycleEnd(threadId, runs[1], "success"),
    ]);
  });

  it("a failed run's lifecycle end has its status and error", async () => {
    const threadId = (await t.client.threads.create()).thread_id;
    const run = await t.client.runs.create(threadId, "fail", { input: {} });
    await t.client.runs.join(threadId, run.run_id);
    const { error } = (await http(t.url, "GET", `/threads/${threadId}/runs/${run.run_id}`)).json as { error: string };
    const got = await sdkFrames(t.client, threadId, { lastEventId: "-", streamMode: "lifecycle" }, 2);
    expect(error).toMatch(/boom/);
    expect(got).toEqual([lifecycleStart(threadId, run.run_id), lifecycleEnd(threadId, run.run_id, "error", error)]);
  });

  it("an unknown mode is a 422 naming the field", async () => {
    const threadId = (await t.client.threads.create()).thread_id;
    for (const field of ["stream_mode", "stream_modes"]) {
      const res = await http(t.url, "GET", `/threads/${threadId}/stream?${field}=lifecycle&${field}=values`);
      expect(res.status).toBe(422);
      expect(res.json.detail).toEqual([expect.objectContaining({ loc: ["query", field, 1], type: "enum" })]);
    }
  });
});

describe("thread stream: resuming", () => {
  it("every id the stream sends resumes right after it", async () => {
    const { threadId, runs } = await threadWithTwoRuns();
    const all = await OpenStream.open(t.url, threadId, { lastEventId: "-", query: ALL_MODES });
    const full = parsed(await all.untilId(`${runs[1]}:end`));
    all.close();
    // The last id has nothing after it yet: a run made later comes next, as the test above shows.
    for (let i = 0; i < full.length - 1; i++) {
      const stream = await OpenStream.open(t.url, threadId, { lastEventId: full[i].id, query: ALL_MODES });
      const got = parsed(await stream.untilId(`${runs[1]}:end`));
      stream.close();
      expect({ after: full[i].id, got }).toEqual({ after: full[i].id, got: full.slice(i + 1) });
    }
  });

  it("a malformed Last-Event-ID, or one of a run the thread does not have, gives what the thread retains", async () => {
    const { threadId, runs, logs } = await threadWithTwoRuns();
    for (const lastEventId of ["garbage", `${randomUUID()}:3`, `${runs[0]}:x`, `${runs[0]}:-1`]) {
      const stream = await OpenStream.open(t.url, threadId, { lastEventId, query: ALL_MODES });
      const got = await stream.untilId(`${runs[1]}:end`);
      stream.close();
      // Its latest run (none is in flight), from its first event.
      expect({ lastEventId, got: parsed(got) }).toEqual({
        lastEventId,
        got: allModesOf(threadId, runs[1], logs[1], AFTER_TWO),
      });
    }
  });

  it("across a restart on the same database, a Last-Event-ID resumes exactly after it", async () => {
    const a = await startTestServer();
    let b: TestServer | undefined;
    try {
      const { threadId, runs, logs } = await threadWithTwoRuns(a);
      await a.stop();
      b = await startTestServer({ sqlitePath: a.dbPath });
      const full = [
        ...allModesOf(threadId, runs[0], logs[0], AFTER_ONE),
        ...allModesOf(threadId, runs[1], logs[1], AFTER_TWO),
      ];
      const after = full.findIndex((f) => f.id === `${runs[0]}:2`);
      const got = await sdkFrames(
        b.client,
        threadId,
        { lastEventId: `${runs[0]}:2`, streamMode: ["run_modes", "lifecycle", "state_update"] },
        full.length - after - 1,
      );
      expect(got).toEqual(full.slice(after + 1));
    } finally {
      await b?.stop();
      await a.close();
    }
  });
});

describe("thread stream: the SDK reconnects", () => {
  it("through Location, after a restart on the same port, with the last id it got", async () => {
    const a = await startTestServer();
    let b: TestServer | undefined;
    const abort = new AbortController();
    try {
      const threadId = (await a.client.threads.create()).thread_id;
      const first = await runTwoNode(a.client, threadId);
      const got: Parsed[] = [];
      // The SDK's own retries (its default client): its reconnect gives up on a refused connection, which
      // the retries ride out while the server restarts (~1 s alone, several on a loaded machine).
      const reader = new Client({ apiUrl: a.url });
      const stream = reader.threads.joinStream(threadId, {
        lastEventId: "-",
        streamMode: ["run_modes", "lifecycle"],
        signal: abort.signal,
      });
      const reading = (async () => {
        for await (const c of stream) got.push({ id: c.id ?? "", event: c.event, data: c.data as unknown });
      })().catch((err: unknown) => {
        if (!abort.signal.aborted) throw err;
      });
      await waitFor(async () => got.some((f) => f.id === `${first}:end`));
      // The connection drops with the server; the SDK tries again at the same URL.
      await a.stop();
      b = await startTestServer({ sqlitePath: a.dbPath, port: Number(new URL(a.url).port) });
      const second = await runTwoNode(b.client, threadId);
      await waitFor(async () => got.some((f) => f.id === `${second}:end`), 20_000);
      abort.abort();
      await reading;
      const frames = async (runId: string) => [
        lifecycleStart(threadId, runId),
        ...parsed(await runLog(b!.url, threadId, runId)),
        lifecycleEnd(threadId, runId, "success"),
      ];
      expect(got).toEqual([...(await frames(first)), ...(await frames(second))]);
    } finally {
      abort.abort();
      await b?.stop();
      await a.close();
    }
  });
});

describe("thread stream: whose thread", () => {
  it("a thread that does not exist is a 404 before any stream", async () => {
    const missing = randomUUID();
    const res = await http(t.url, "GET", `/threads/${missing}/stream`, undefined, { "Last-Event-ID": "-" });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: `Thread with ID ${missing} not found` });
    await expect(t.client.threads.joinStream(missing).next()).rejects.toThrow(/404/);
  });

  it("another user's thread is the same 404 (auth mode api-keys)", async () => {
    const k = await startTestServer({ authMode: "api-keys" });
    try {
      const key = async (user: string) => (await mintApiKey(k.server.services.stores.apiKeys, { user })).key;
      const alice = clientWith(k.url, { "x-api-key": await key("alice") });
      const bobKey = await key("bob");
      const threadId = (await alice.threads.create()).thread_id;
      await runTwoNode(alice, threadId);
      const res = await http(k.url, "GET", `/threads/${threadId}/stream`, undefined, {
        "x-api-key": bobKey,
        "Last-Event-ID": "-",
      });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ detail: `Thread with ID ${threadId} not found` });
      const bob = clientWith(k.url, { "x-api-key": bobKey });
      await expect(bob.threads.joinStream(threadId, { lastEventId: "-" }).next()).rejects.toThrow(/404/);
      // Alice's own stream is there.
      expect((await sdkFrames(alice, threadId, { lastEventId: "-", streamMode: "lifecycle" }, 1))[0].event).toBe(
        "lifecycle",
      );
    } finally {
      await k.close();
    }
  });
});
