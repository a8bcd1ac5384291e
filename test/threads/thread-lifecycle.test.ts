/** Thread count, copy, prune and state metadata patches, through the official SDK client over real HTTP. */
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const hello = { messages: [{ role: "user", content: "hello there" }] };
const MISSING = "00000000-0000-4000-8000-000000000000";

/** A metadata value unique to one test, so counts and searches see only that test's threads. */
const tag = () => ({ suite: randomUUID() });

describe("threads.count", () => {
  it("counts what search finds with the same filters: metadata, values, status, ids", async () => {
    const suite = tag();
    const a = await t.client.threads.create({ metadata: { ...suite, kind: "a" } });
    const b = await t.client.threads.create({ metadata: { ...suite, kind: "b" } });
    await t.client.threads.create({ metadata: { ...suite, kind: "a" } });
    await t.client.runs.wait(a.thread_id, "echo", { input: hello });

    expect(await t.client.threads.count({ metadata: suite })).toBe(3);
    expect(await t.client.threads.count({ metadata: { ...suite, kind: "a" } })).toBe(2);
    expect(await t.client.threads.count({ metadata: suite, status: "idle" })).toBe(3);
    expect(await t.client.threads.count({ metadata: suite, status: "busy" })).toBe(0);
    const state = await t.client.threads.getState(a.thread_id);
    const messages = (state.values as { messages: unknown[] }).messages;
    expect(await t.client.threads.count({ metadata: suite, values: { messages } })).toBe(1);
    expect(await t.client.threads.count({ metadata: suite, values: { messages: [] } })).toBe(0);
    const byIds = await http(t.url, "POST", "/threads/count", { ids: [a.thread_id, b.thread_id, MISSING] });
    expect(byIds).toMatchObject({ status: 200, json: 2 });

    const page = await t.client.threads.search({ metadata: suite, limit: 1 });
    expect(page).toHaveLength(1);
    const raw = await http(t.url, "POST", "/threads/search", { metadata: suite, limit: 1 });
    expect(raw.headers.get("x-pagination-total")).toBe("3");
  });

  it("an empty body counts every thread; bad filters are 422", async () => {
    const all = await http(t.url, "POST", "/threads/count");
    expect(all.status).toBe(200);
    expect(Number.isInteger(all.json)).toBe(true);
    expect(all.json).toBeGreaterThan(0);
    for (const body of [{ status: "sleeping" }, { ids: ["not-a-uuid"] }, { metadata: "x" }, { values: [1] }]) {
      const res = await http(t.url, "POST", "/threads/count", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
  });
});

/** The thread's full history as JSON with its id replaced, so a copy's compares equal to its source's. */
async function historyOf(threadId: string) {
  const history = await t.client.threads.getHistory(threadId, { limit: 1000 });
  return JSON.parse(JSON.stringify(history).replaceAll(threadId, "<thread>"));
}

describe("threads.copy", () => {
  it("makes a new thread with the same metadata, values and whole history but for the thread id", async () => {
    const suite = tag();
    const source = await t.client.threads.create({ metadata: { ...suite, topic: "copying" } });
    await t.client.runs.wait(source.thread_id, "echo", { input: hello });
    await t.client.runs.wait(source.thread_id, "echo", { input: { messages: [{ role: "user", content: "again" }] } });
    const before = await t.client.threads.get(source.thread_id);
    const history = await historyOf(source.thread_id);
    expect(history.length).toBeGreaterThan(4);

    const copy = await t.client.threads.copy(source.thread_id);
    expect(copy.thread_id).not.toBe(source.thread_id);
    expect(copy.metadata).toEqual(before.metadata);
    expect(copy.values).toEqual(before.values);
    expect(copy.status).toBe("idle");
    expect(copy.interrupts).toEqual(before.interrupts);
    expect(copy).not.toHaveProperty("owner_id");
    expect(await t.client.threads.get(copy.thread_id)).toEqual(copy);
    expect(await historyOf(copy.thread_id)).toEqual(history);
    const state = await t.client.threads.getState(copy.thread_id);
    expect(state.checkpoint.thread_id).toBe(copy.thread_id);
    expect(state.values).toEqual((await t.client.threads.getState(source.thread_id)).values);
    expect(await t.client.threads.count({ metadata: suite })).toBe(2);

    // The two go their own ways: a run on the copy leaves the source as it was.
    await t.client.runs.wait(copy.thread_id, "echo", { input: { messages: [{ role: "user", content: "fork" }] } });
    expect(await historyOf(source.thread_id)).toEqual(history);
    expect(await t.client.threads.get(source.thread_id)).toEqual(before);
    expect((await historyOf(copy.thread_id)).length).toBeGreaterThan(history.length);
    expect(await t.client.runs.list(copy.thread_id)).toHaveLength(1);
  });

  it("copies an interrupted thread's interrupts, and the copy resumes on its own", async () => {
    const source = await t.client.threads.create();
    await t.client.runs.wait(source.thread_id, "interrupt", { input: {} });
    const before = await t.client.threads.get(source.thread_id);
    expect(before.status).toBe("interrupted");
    const copy = await t.client.threads.copy(source.thread_id);
    expect(copy.status).toBe("interrupted");
    expect(copy.interrupts).toEqual(before.interrupts);
    expect((await t.client.threads.getState(copy.thread_id)).next).toEqual(
      (await t.client.threads.getState(source.thread_id)).next,
    );
    await t.client.runs.wait(copy.thread_id, "interrupt", { command: { resume: "yes" } });
    expect((await t.client.threads.get(copy.thread_id)).status).not.toBe("interrupted");
    expect(await t.client.threads.get(source.thread_id)).toEqual(before);
  });

  it("a thread that never ran copies as an empty thread", async () => {
    const source = await t.client.threads.create({ metadata: { empty: true } });
    const copy = await t.client.threads.copy(source.thread_id);
    expect(copy).toMatchObject({ metadata: { empty: true }, values: null, status: "idle" });
    expect(await t.client.threads.getHistory(copy.thread_id)).toEqual([]);
  });

  it("404 for a missing thread; 409 while a run is in flight on it, and nothing is created", async () => {
    const missing = await http(t.url, "POST", `/threads/${MISSING}/copy`);
    expect(missing.status).toBe(404);
    expect(missing.json.detail).toBe(`Thread with ID ${MISSING} not found`);
    expect((await http(t.url, "POST", "/threads/not-a-uuid/copy")).status).toBe(422);

    const suite = tag();
    const busy = await t.client.threads.create({ metadata: suite });
    const run = await t.client.runs.create(busy.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 200 } },
    });
    await expect(t.client.threads.copy(busy.thread_id)).rejects.toThrow(/409/);
    const raw = await http(t.url, "POST", `/threads/${busy.thread_id}/copy`);
    expect(raw.status).toBe(409);
    expect(await t.client.threads.count({ metadata: suite })).toBe(1);
    await t.client.runs.cancel(busy.thread_id, run.run_id, true);
    const copy = await t.client.threads.copy(busy.thread_id);
    expect(await historyOf(copy.thread_id)).toEqual(await historyOf(busy.thread_id));
  });
});

describe("threads.prune", () => {
  it("delete removes each named thread with its runs; missing and repeated ids are not counted twice", async () => {
    const suite = tag();
    const a = await t.client.threads.create({ metadata: suite });
    const b = await t.client.threads.create({ metadata: suite });
    const kept = await t.client.threads.create({ metadata: suite });
    await t.client.runs.wait(a.thread_id, "echo", { input: hello });

    const result = await t.client.threads.prune([a.thread_id, b.thread_id, a.thread_id, MISSING]);
    expect(result).toEqual({ pruned_count: 2 });
    for (const id of [a.thread_id, b.thread_id]) {
      expect((await http(t.url, "GET", `/threads/${id}`)).status).toBe(404);
      expect((await http(t.url, "GET", `/threads/${id}/runs`)).status).toBe(404);
    }
    expect(await t.client.threads.count({ metadata: suite })).toBe(1);
    expect((await t.client.threads.get(kept.thread_id)).thread_id).toBe(kept.thread_id);
    expect(await t.client.threads.prune([a.thread_id])).toEqual({ pruned_count: 0 });
  });

  it("keep_latest keeps the thread and its current state as the only checkpoint", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    await t.client.runs.wait(thread.thread_id, "echo", { input: { messages: [{ role: "user", content: "more" }] } });
    const before = await t.client.threads.getState(thread.thread_id);
    expect((await t.client.threads.getHistory(thread.thread_id, { limit: 100 })).length).toBeGreaterThan(2);

    const result = await t.client.threads.prune([thread.thread_id], { strategy: "keep_latest" });
    expect(result).toEqual({ pruned_count: 1 });
    const history = await t.client.threads.getHistory(thread.thread_id, { limit: 100 });
    expect(history).toHaveLength(1);
    expect(history[0].checkpoint.checkpoint_id).toBe(before.checkpoint.checkpoint_id);
    expect(history[0].parent_checkpoint).toBeNull();
    const after = await t.client.threads.getState(thread.thread_id);
    expect(after.values).toEqual(before.values);
    expect((await t.client.threads.get(thread.thread_id)).values).toEqual(before.values);

    // The thread runs on from its kept state.
    await t.client.runs.wait(thread.thread_id, "echo", { input: { messages: [{ role: "user", content: "on" }] } });
    const messages = ((await t.client.threads.getState(thread.thread_id)).values as { messages: unknown[] }).messages;
    expect(messages.length).toBe((before.values as { messages: unknown[] }).messages.length + 2);
  });

  it("a busy thread is never touched, by either strategy, while the others named with it are pruned", async () => {
    const busy = await t.client.threads.create();
    const idle = await t.client.threads.create();
    const run = await t.client.runs.create(busy.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 200 } },
    });
    await waitForCheckpoint(busy.thread_id);
    const historyBefore = (await t.client.threads.getHistory(busy.thread_id, { limit: 100 })).length;
    expect(await t.client.threads.prune([busy.thread_id], { strategy: "keep_latest" })).toEqual({
      pruned_count: 0,
    });
    expect(await t.client.threads.prune([busy.thread_id, idle.thread_id])).toEqual({ pruned_count: 1 });
    expect((await t.client.threads.get(busy.thread_id)).status).toBe("busy");
    expect((await t.client.runs.get(busy.thread_id, run.run_id)).status).toBe("running");
    expect((await t.client.threads.getHistory(busy.thread_id, { limit: 100 })).length).toBeGreaterThanOrEqual(
      historyBefore,
    );
    expect((await http(t.url, "GET", `/threads/${idle.thread_id}`)).status).toBe(404);
    await t.client.runs.cancel(busy.thread_id, run.run_id, true);
  });

  it("bad input is 422 and prunes nothing", async () => {
    const thread = await t.client.threads.create();
    for (const body of [
      {},
      { thread_ids: [] },
      { thread_ids: [thread.thread_id], strategy: "everything" },
      { thread_ids: [thread.thread_id, "not-a-uuid"] },
      { thread_ids: thread.thread_id },
    ]) {
      const res = await http(t.url, "POST", "/threads/prune", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect((await t.client.threads.get(thread.thread_id)).thread_id).toBe(thread.thread_id);
  });
});

async function waitForCheckpoint(threadId: string) {
  for (let i = 0; i < 100; i++) {
    if ((await t.client.threads.getHistory(threadId, { limit: 1 })).length > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no checkpoint");
}

describe("threads.patchState", () => {
  it("merges metadata into the latest checkpoint's metadata; the state and history are otherwise unchanged", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    const before = await t.client.threads.getState(thread.thread_id);
    const historyBefore = await t.client.threads.getHistory(thread.thread_id, { limit: 100 });

    await t.client.threads.patchState(thread.thread_id, { reviewed: true, by: { name: "ada" } });
    await t.client.threads.patchState(thread.thread_id, { by: "grace" });
    const after = await t.client.threads.getState(thread.thread_id);
    expect(after.checkpoint.checkpoint_id).toBe(before.checkpoint.checkpoint_id);
    expect(after.values).toEqual(before.values);
    expect(after.metadata).toEqual({ ...before.metadata, reviewed: true, by: "grace" });
    const history = await t.client.threads.getHistory(thread.thread_id, { limit: 100 });
    expect(history.map((h) => h.checkpoint.checkpoint_id)).toEqual(
      historyBefore.map((h) => h.checkpoint.checkpoint_id),
    );
    expect(history.slice(1)).toEqual(historyBefore.slice(1));
    expect(await t.client.threads.getHistory(thread.thread_id, { metadata: { reviewed: true } })).toHaveLength(1);
  });

  it("the config form names the thread; a checkpoint id in the body patches that checkpoint", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    await t.client.threads.patchState({ configurable: { thread_id: thread.thread_id } }, { via: "config" });
    expect((await t.client.threads.getState(thread.thread_id)).metadata).toMatchObject({ via: "config" });

    const [, older] = await t.client.threads.getHistory(thread.thread_id, { limit: 2 });
    const id = older.checkpoint.checkpoint_id!;
    const res = await http(t.url, "PATCH", `/threads/${thread.thread_id}/state`, {
      metadata: { older: 1 },
      checkpoint_id: id,
    });
    expect(res.status).toBe(204);
    expect((await t.client.threads.getState(thread.thread_id, id)).metadata).toMatchObject({ older: 1 });
    expect((await t.client.threads.getState(thread.thread_id)).metadata).not.toHaveProperty("older");
  });

  it("404 without a thread or checkpoint, 409 while busy, 422 for reserved keys; nothing is written", async () => {
    const never = await t.client.threads.create();
    const none = await http(t.url, "PATCH", `/threads/${never.thread_id}/state`, { metadata: { a: 1 } });
    expect(none.status).toBe(404);
    const missing = await http(t.url, "PATCH", `/threads/${MISSING}/state`, { metadata: { a: 1 } });
    expect(missing).toMatchObject({ status: 404, json: { detail: `Thread with ID ${MISSING} not found` } });

    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    const before = await t.client.threads.getState(thread.thread_id);
    const path = `/threads/${thread.thread_id}/state`;
    expect((await http(t.url, "PATCH", path, { metadata: { a: 1 }, checkpoint_id: MISSING })).status).toBe(404);
    for (const body of [
      {},
      { metadata: "x" },
      { metadata: { run_id: "mine" } },
      { metadata: { step: 99 } },
      { metadata: { a: 1 }, checkpoint: { thread_id: MISSING } },
      { metadata: { a: 1 }, checkpoint_id: "nope" },
    ]) {
      expect((await http(t.url, "PATCH", path, body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await t.client.threads.getState(thread.thread_id)).metadata).toEqual(before.metadata);

    const busy = await t.client.threads.create();
    await t.client.runs.wait(busy.thread_id, "echo", { input: hello });
    const run = await t.client.runs.create(busy.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 200 } },
    });
    await expect(t.client.threads.patchState(busy.thread_id, { late: true })).rejects.toThrow(/409/);
    await t.client.runs.cancel(busy.thread_id, run.run_id, true);
    const history = await t.client.threads.getHistory(busy.thread_id, { limit: 100 });
    expect(history.every((h) => !("late" in (h.metadata ?? {})))).toBe(true);
  });
});

describe("owners (auth mode api-keys): count, copy and prune stay within the caller's threads", () => {
  let k: TestServer;
  let alice: Client;
  let bob: Client;
  beforeAll(async () => {
    k = await startTestServer({
      graphsConfigPath: fileURLToPath(new URL("../auth/fixtures/langgraph.json", import.meta.url)),
      authMode: "api-keys",
    });
    const keys = k.server.services.stores.apiKeys;
    const as = async (user: string) =>
      new Client({
        apiUrl: k.url,
        defaultHeaders: { "x-api-key": (await mintApiKey(keys, { user })).key },
        callerOptions: { maxRetries: 0 },
      });
    alice = await as("alice");
    bob = await as("bob");
  });
  afterAll(async () => {
    await k?.close();
  });

  it("bob counts, copies and prunes only his own; alice's copy is alice's", async () => {
    const suite = tag();
    const mine = await alice.threads.create({ metadata: suite });
    await alice.runs.wait(mine.thread_id, "whoami", { input: {} });
    await bob.threads.create({ metadata: suite });
    expect(await alice.threads.count({ metadata: suite })).toBe(1);
    expect(await bob.threads.count({ metadata: suite })).toBe(1);

    await expect(bob.threads.copy(mine.thread_id)).rejects.toThrow(/404/);
    const copy = await alice.threads.copy(mine.thread_id);
    expect(await alice.threads.count({ metadata: suite })).toBe(2);
    expect(await bob.threads.count({ metadata: suite })).toBe(1);
    await expect(bob.threads.get(copy.thread_id)).rejects.toThrow(/404/);

    expect(await bob.threads.prune([mine.thread_id, copy.thread_id])).toEqual({ pruned_count: 0 });
    expect(await bob.threads.prune([copy.thread_id], { strategy: "keep_latest" })).toEqual({ pruned_count: 0 });
    expect((await alice.threads.getHistory(copy.thread_id, { limit: 100 })).length).toBeGreaterThan(1);
    expect(await alice.threads.prune([mine.thread_id, copy.thread_id])).toEqual({ pruned_count: 2 });
    expect(await alice.threads.count({ metadata: suite })).toBe(0);
    expect(await bob.threads.count({ metadata: suite })).toBe(1);
  });
});
