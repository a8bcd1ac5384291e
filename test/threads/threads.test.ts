/** Threads, their state and history, through the official SDK client over real HTTP. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const hello = { messages: [{ role: "user", content: "hello there" }] };
const MISSING = "00000000-0000-4000-8000-000000000000";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A metadata value unique to one test, so searches see only that test's threads. */
const tag = () => ({ suite: randomUUID() });

describe("threads.create / get", () => {
  it("creates a thread with a server-generated id and empty metadata", async () => {
    const thread = await t.client.threads.create();
    expect(thread.thread_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(thread.status).toBe("idle");
    expect(thread.metadata).toEqual({});
    expect(thread.values).toBeNull();
    expect(thread.interrupts).toEqual({});
    expect(Number.isNaN(Date.parse(thread.created_at))).toBe(false);
    expect(thread).not.toHaveProperty("owner_id");

    const other = await t.client.threads.create();
    expect(other.thread_id).not.toBe(thread.thread_id);

    const fetched = await t.client.threads.get(thread.thread_id);
    expect(fetched).toEqual(thread);
  });

  it("creates a thread with the given id and metadata", async () => {
    const id = randomUUID();
    const thread = await t.client.threads.create({ threadId: id, metadata: { owner: "ada", n: 1 } });
    expect(thread.thread_id).toBe(id);
    expect(thread.metadata).toEqual({ owner: "ada", n: 1 });
    expect((await t.client.threads.get(id)).metadata).toEqual({ owner: "ada", n: 1 });
  });

  it("a duplicate id is 409 and leaves the existing thread alone", async () => {
    const id = randomUUID();
    await t.client.threads.create({ threadId: id, metadata: { first: true } });
    await expect(t.client.threads.create({ threadId: id, metadata: { second: true } })).rejects.toThrow(/409/);
    const raw = await http(t.url, "POST", "/threads", { thread_id: id, if_exists: "raise" });
    expect(raw.status).toBe(409);
    expect(typeof raw.json.detail).toBe("string");
    expect((await t.client.threads.get(id)).metadata).toEqual({ first: true });
  });

  it('ifExists: "do_nothing" returns the existing thread unchanged', async () => {
    const id = randomUUID();
    const original = await t.client.threads.create({ threadId: id, metadata: { first: true } });
    const again = await t.client.threads.create({ threadId: id, metadata: { second: true }, ifExists: "do_nothing" });
    expect(again).toEqual(original);
    // do_nothing on a new id simply creates it.
    const fresh = randomUUID();
    const created = await t.client.threads.create({ threadId: fresh, ifExists: "do_nothing" });
    expect(created.thread_id).toBe(fresh);
  });

  it("an unknown thread is 404", async () => {
    await expect(t.client.threads.get(MISSING)).rejects.toThrow(/404/);
    const raw = await http(t.url, "GET", `/threads/${MISSING}`);
    expect(raw.status).toBe(404);
    expect(raw.json.detail).toContain(MISSING);
  });
});

describe("threads.update", () => {
  it("merges metadata: top-level keys are replaced, others kept", async () => {
    const thread = await t.client.threads.create({ metadata: { a: 1, b: { x: 1 } } });
    await sleep(5);
    const updated = await t.client.threads.update(thread.thread_id, { metadata: { b: { y: 2 }, c: 3 } });
    expect(updated.metadata).toEqual({ a: 1, b: { y: 2 }, c: 3 });
    expect(updated.thread_id).toBe(thread.thread_id);
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(thread.updated_at));
    expect(updated.created_at).toBe(thread.created_at);
    expect((await t.client.threads.get(thread.thread_id)).metadata).toEqual({ a: 1, b: { y: 2 }, c: 3 });
  });

  it("an unknown thread is 404", async () => {
    await expect(t.client.threads.update(MISSING, { metadata: { a: 1 } })).rejects.toThrow(/404/);
    expect((await http(t.url, "GET", `/threads/${MISSING}`)).status).toBe(404);
  });
});

describe("threads.search", () => {
  it("filters by metadata (all pairs must match, deep values compared)", async () => {
    const suite = tag();
    const a = await t.client.threads.create({ metadata: { ...suite, color: "red", deep: { k: [1, 2] } } });
    const b = await t.client.threads.create({ metadata: { ...suite, color: "blue" } });
    await t.client.threads.create({ metadata: { color: "red" } });

    const red = await t.client.threads.search({ metadata: { ...suite, color: "red" } });
    expect(red.map((th) => th.thread_id)).toEqual([a.thread_id]);
    const all = await t.client.threads.search({ metadata: suite });
    expect(all.map((th) => th.thread_id).sort()).toEqual([a.thread_id, b.thread_id].sort());
    const deep = await t.client.threads.search({ metadata: { ...suite, deep: { k: [1, 2] } } });
    expect(deep.map((th) => th.thread_id)).toEqual([a.thread_id]);
    expect(await t.client.threads.search({ metadata: { ...suite, deep: { k: [2, 1] } } })).toEqual([]);
  });

  it("filters by status", async () => {
    const suite = tag();
    const idle = await t.client.threads.create({ metadata: suite });
    const failed = await t.client.threads.create({ metadata: suite });
    await expect(t.client.runs.wait(failed.thread_id, "fail", { input: {} })).rejects.toThrow(/boom/);
    const result = (await t.client.runs.wait(idle.thread_id, "two_node", { input: { value: [] } })) as {
      value: string[];
    };
    expect(result.value).toEqual(["first", "second"]);

    const errored = await t.client.threads.search({ metadata: suite, status: "error" });
    expect(errored.map((th) => th.thread_id)).toEqual([failed.thread_id]);
    const idles = await t.client.threads.search({ metadata: suite, status: "idle" });
    expect(idles.map((th) => th.thread_id)).toEqual([idle.thread_id]);
    expect(await t.client.threads.search({ metadata: suite, status: "busy" })).toEqual([]);
  });

  it("pages with limit/offset and sorts by sort_by/sort_order (default created_at desc)", async () => {
    const suite = tag();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await t.client.threads.create({ metadata: suite })).thread_id);
      await sleep(5);
    }
    const newestFirst = [...ids].reverse();

    expect((await t.client.threads.search({ metadata: suite })).map((th) => th.thread_id)).toEqual(newestFirst);
    const asc = await t.client.threads.search({ metadata: suite, sortBy: "created_at", sortOrder: "asc" });
    expect(asc.map((th) => th.thread_id)).toEqual(ids);
    const byId = await t.client.threads.search({ metadata: suite, sortBy: "thread_id", sortOrder: "asc" });
    expect(byId.map((th) => th.thread_id)).toEqual([...ids].sort());

    const page1 = await t.client.threads.search({ metadata: suite, limit: 2 });
    const page2 = await t.client.threads.search({ metadata: suite, limit: 2, offset: 2 });
    expect(page1.map((th) => th.thread_id)).toEqual(newestFirst.slice(0, 2));
    expect(page2.map((th) => th.thread_id)).toEqual(newestFirst.slice(2));
    expect(await t.client.threads.search({ metadata: suite, offset: 3 })).toEqual([]);
  });

  it("X-Pagination-Total counts all matches; X-Pagination-Next points at the next page", async () => {
    const suite = tag();
    for (let i = 0; i < 3; i++) await t.client.threads.create({ metadata: suite });

    const first = await http(t.url, "POST", "/threads/search", { metadata: suite, limit: 2 });
    expect(first.status).toBe(200);
    expect(first.json).toHaveLength(2);
    expect(first.headers.get("x-pagination-total")).toBe("3");
    expect(first.headers.get("x-pagination-next")).toBe("2");

    const last = await http(t.url, "POST", "/threads/search", { metadata: suite, limit: 2, offset: 2 });
    expect(last.json).toHaveLength(1);
    expect(last.headers.get("x-pagination-total")).toBe("3");
    expect(last.headers.get("x-pagination-next")).toBeNull();
  });

  it("a bad search body is 422 naming the field", async () => {
    const res = await http(t.url, "POST", "/threads/search", { limit: 0, sort_by: "color", status: "sleeping" });
    expect(res.status).toBe(422);
    const locs = res.json.detail.map((d: { loc: string[] }) => d.loc.join("."));
    expect(locs).toEqual(expect.arrayContaining(["body.limit", "body.sort_by", "body.status"]));
  });
});

describe("threads.delete", () => {
  it("answers 204, then the thread is 404 and its runs are gone", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    const [run] = await t.client.runs.list(thread.thread_id);
    expect(run.status).toBe("success");

    const res = await http(t.url, "DELETE", `/threads/${thread.thread_id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");

    await expect(t.client.threads.get(thread.thread_id)).rejects.toThrow(/404/);
    await expect(t.client.runs.get(thread.thread_id, run.run_id)).rejects.toThrow(/404/);
    expect((await http(t.url, "GET", `/threads/${thread.thread_id}/runs`)).status).toBe(404);
    expect((await http(t.url, "DELETE", `/threads/${thread.thread_id}`)).status).toBe(404);

    // Re-creating the id starts from nothing: no runs, no state, no audit trail.
    await t.client.threads.create({ threadId: thread.thread_id });
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
    await expect(t.client.runs.get(thread.thread_id, run.run_id)).rejects.toThrow(/404/);
    const messages = await http(t.url, "GET", `/threads/${thread.thread_id}/messages`);
    expect(messages.status).toBe(200);
    expect(messages.json).toEqual([]);
    await t.client.threads.update(thread.thread_id, { metadata: { graph_id: "echo" } });
    const state = await t.client.threads.getState(thread.thread_id);
    expect(state.checkpoint).toBeNull();
    expect(state.values).toEqual({});
  });

  it("through the SDK, and unknown ids are 404", async () => {
    const thread = await t.client.threads.create();
    await t.client.threads.delete(thread.thread_id);
    await expect(t.client.threads.get(thread.thread_id)).rejects.toThrow(/404/);
    await expect(t.client.threads.delete(MISSING)).rejects.toThrow(/404/);
  });

  it("is refused with 409 while a run is in flight", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { step_ms: 100, total_steps: 3 } },
    });
    const res = await http(t.url, "DELETE", `/threads/${thread.thread_id}`);
    expect(res.status).toBe(409);
    expect((await t.client.threads.get(thread.thread_id)).thread_id).toBe(thread.thread_id);
    // Let it finish before the file's server closes.
    const deadline = Date.now() + 10_000;
    while ((await t.client.runs.get(thread.thread_id, run.run_id)).status !== "success") {
      if (Date.now() > deadline) throw new Error("slow run did not finish");
      await sleep(50);
    }
    expect((await http(t.url, "DELETE", `/threads/${thread.thread_id}`)).status).toBe(204);
  });
});

describe("threads.getState", () => {
  it("is empty for a fresh thread", async () => {
    const thread = await t.client.threads.create();
    const state = await t.client.threads.getState(thread.thread_id);
    expect(state.values).toEqual({});
    expect(state.next).toEqual([]);
    expect(state.tasks).toEqual([]);
    expect(state.checkpoint).toBeNull();
    expect(state.parent_checkpoint).toBeNull();
    expect(state.created_at).toBeNull();
  });

  it("after runs.wait on two_node holds the final values", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
    const state = await t.client.threads.getState<{ value: string[] }>(thread.thread_id);
    expect(state.values).toEqual({ value: ["first", "second"] });
    expect(state.next).toEqual([]);
    expect(state.tasks).toEqual([]);
    expect(state.checkpoint?.thread_id).toBe(thread.thread_id);
    expect(state.checkpoint?.checkpoint_ns).toBe("");
    expect(typeof state.checkpoint?.checkpoint_id).toBe("string");
    expect(state.parent_checkpoint?.checkpoint_id).toEqual(expect.any(String));
    expect(state.parent_checkpoint?.checkpoint_id).not.toBe(state.checkpoint?.checkpoint_id);
    expect(state.metadata).toMatchObject({ source: "loop", step: 2 });
    expect(Number.isNaN(Date.parse(state.created_at!))).toBe(false);

    // The thread record caches the same values.
    expect((await t.client.threads.get(thread.thread_id)).values).toEqual({ value: ["first", "second"] });

    // A second run on the thread accumulates through the reducer.
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: ["again"] } });
    const after = await t.client.threads.getState<{ value: string[] }>(thread.thread_id);
    expect(after.values).toEqual({ value: ["first", "second", "again", "first", "second"] });
  });

  it("an interrupted thread reports next, tasks and interrupts", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "interrupt", { input: {} });
    const state = await t.client.threads.getState(thread.thread_id);
    expect(state.next).toEqual(["ask"]);
    expect(state.tasks.map((task) => task.name)).toEqual(["ask"]);
    expect(state.tasks[0].interrupts).toEqual([expect.objectContaining({ value: { question: "approve?" } })]);
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("interrupted");
  });

  it("an unknown thread is 404; a bad id is 422", async () => {
    await expect(t.client.threads.getState(MISSING)).rejects.toThrow(/404/);
    const bad = await http(t.url, "GET", "/threads/123/state");
    expect(bad.status).toBe(422);
    expect(bad.json.detail[0].loc).toEqual(["path", "thread_id"]);
  });
});

describe("threads.getHistory", () => {
  let threadId: string;
  beforeAll(async () => {
    threadId = (await t.client.threads.create()).thread_id;
    await t.client.runs.wait(threadId, "two_node", { input: { value: [] } });
  });

  it("lists states newest first, each linked to its parent", async () => {
    const history = await t.client.threads.getHistory<{ value: string[] }>(threadId);
    // input (-1), loop step 0, after `first` (1), after `second` (2)
    expect(history.map((s) => s.metadata?.step)).toEqual([2, 1, 0, -1]);
    expect(history.map((s) => s.next)).toEqual([[], ["second"], ["first"], ["__start__"]]);
    expect(history[0].values).toEqual({ value: ["first", "second"] });
    expect(history[1].values).toEqual({ value: ["first"] });
    for (const s of history) {
      expect(typeof s.checkpoint.checkpoint_id).toBe("string");
      expect(s.checkpoint.thread_id).toBe(threadId);
    }
    for (let i = 0; i < history.length - 1; i++) {
      expect(history[i].parent_checkpoint?.checkpoint_id).toBe(history[i + 1].checkpoint.checkpoint_id);
    }
    expect(history.at(-1)!.parent_checkpoint).toBeNull();
    const ids = history.map((s) => s.checkpoint.checkpoint_id);
    expect(new Set(ids).size).toBe(ids.length);

    const state = await t.client.threads.getState(threadId);
    expect(history[0].checkpoint.checkpoint_id).toBe(state.checkpoint.checkpoint_id);
  });

  it("honours limit and before", async () => {
    const all = await t.client.threads.getHistory(threadId);
    const two = await t.client.threads.getHistory(threadId, { limit: 2 });
    expect(two.map((s) => s.checkpoint.checkpoint_id)).toEqual(all.slice(0, 2).map((s) => s.checkpoint.checkpoint_id));
    const older = await t.client.threads.getHistory(threadId, { before: all[1].checkpoint as any });
    expect(older.map((s) => s.checkpoint.checkpoint_id)).toEqual(all.slice(2).map((s) => s.checkpoint.checkpoint_id));
  });

  it("filters by checkpoint metadata", async () => {
    const inputs = await t.client.threads.getHistory(threadId, { metadata: { source: "input" } });
    expect(inputs.map((s) => s.metadata?.step)).toEqual([-1]);
  });

  it("raw GET /threads/{id}/history?limit=2 returns the two newest states", async () => {
    const all = await t.client.threads.getHistory(threadId);
    const res = await http(t.url, "GET", `/threads/${threadId}/history?limit=2`);
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(2);
    expect(res.json.map((s: any) => s.checkpoint.checkpoint_id)).toEqual(
      all.slice(0, 2).map((s) => s.checkpoint.checkpoint_id),
    );
    expect(res.json[0].values).toEqual({ value: ["first", "second"] });

    const before = await http(
      t.url,
      "GET",
      `/threads/${threadId}/history?before=${all[0].checkpoint.checkpoint_id}&limit=1`,
    );
    expect(before.status).toBe(200);
    expect(before.json.map((s: any) => s.checkpoint.checkpoint_id)).toEqual([all[1].checkpoint.checkpoint_id]);

    const bad = await http(t.url, "GET", `/threads/${threadId}/history?limit=zero`);
    expect(bad.status).toBe(422);
    expect(bad.json.detail[0].loc).toEqual(["query", "limit"]);
  });

  it("is empty for a fresh thread and 404 for an unknown one", async () => {
    const fresh = await t.client.threads.create();
    expect(await t.client.threads.getHistory(fresh.thread_id)).toEqual([]);
    expect((await http(t.url, "GET", `/threads/${fresh.thread_id}/history`)).json).toEqual([]);
    await expect(t.client.threads.getHistory(MISSING)).rejects.toThrow(/404/);
    expect((await http(t.url, "GET", `/threads/${MISSING}/history`)).status).toBe(404);
  });
});
