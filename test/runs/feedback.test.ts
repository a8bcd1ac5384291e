/**
 * Feedback on runs (a Threadgate/DeerFlow extension, tag `audit`): one rating per user per run, set with
 * PUT (upsert) or POST (create; a second is 409), listed, counted and deleted, over real HTTP (the SDK
 * has no feedback calls). Message listings carry the caller's feedback on each run's last AI message.
 * In api-keys mode another user's run is a 404 and another user's rows are never listed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const MISSING = "00000000-0000-4000-8000-000000000000";
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ask = (text: string) => ({ messages: [{ role: "user", content: text }] });

/** A thread with `n` finished echo runs, through `client`; run ids oldest first. */
async function threadWithRuns(client: Client, n: number) {
  const thread = await client.threads.create();
  for (let i = 0; i < n; i++) await client.runs.wait(thread.thread_id, "echo", { input: ask(`question ${i}`) });
  const runs = await client.runs.list(thread.thread_id);
  return { threadId: thread.thread_id, runIds: runs.map((r) => r.run_id).reverse() };
}

describe("feedback, no authentication", () => {
  let t: TestServer;
  let threadId: string;
  let runIds: string[];
  const fb = (runId = runIds[0], rest = "") => `/threads/${threadId}/runs/${runId}/feedback${rest}`;

  beforeAll(async () => {
    t = await startTestServer();
    ({ threadId, runIds } = await threadWithRuns(t.client, 2));
  });
  afterAll(async () => {
    await t?.close();
  });

  it("POST creates the local user's feedback; a second POST is 409 and changes nothing", async () => {
    const created = await http(t.url, "POST", fb(), { rating: 1, comment: "helpful", message_id: "m-1" });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      feedback_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      run_id: runIds[0],
      thread_id: threadId,
      user_id: "local",
      message_id: "m-1",
      rating: 1,
      comment: "helpful",
      created_at: expect.stringMatching(ISO),
      updated_at: created.json.created_at,
    });
    const again = await http(t.url, "POST", fb(), { rating: -1 });
    expect(again.status).toBe(409);
    expect(again.json.detail).toContain("PUT");
    const listed = await http(t.url, "GET", fb());
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual([created.json]);
  });

  it("PUT replaces the caller's row (same id, message_id kept) and creates one where there is none", async () => {
    const before = (await http(t.url, "GET", fb())).json[0];
    const put = await http(t.url, "PUT", fb(), { rating: -1, comment: null });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ feedback_id: before.feedback_id, rating: -1, comment: null, message_id: "m-1" });
    expect(put.json.created_at).toBe(before.created_at);
    expect((await http(t.url, "GET", fb())).json).toEqual([put.json]);

    const fresh = await http(t.url, "PUT", fb(runIds[1]), { rating: 1 });
    expect(fresh.status).toBe(200);
    expect(fresh.json).toMatchObject({ run_id: runIds[1], rating: 1, comment: null, message_id: null });
  });

  it("stats count the run's feedback", async () => {
    const stats = await http(t.url, "GET", fb(runIds[0], "/stats"));
    expect(stats.status).toBe(200);
    expect(stats.json).toEqual({ run_id: runIds[0], total: 1, positive: 0, negative: 1 });
  });

  it("bad input is a 422 naming the field, and nothing is written", async () => {
    const before = (await http(t.url, "GET", fb())).json;
    const cases: [unknown, string][] = [
      [{ rating: 2 }, "rating"],
      [{ rating: 0 }, "rating"],
      [{ rating: "1" }, "rating"],
      [{}, "rating"],
      [{ rating: 1, comment: "x".repeat(4001) }, "comment"],
      [{ rating: 1, comment: 7 }, "comment"],
    ];
    for (const [body, field] of cases) {
      for (const method of ["PUT", "POST"]) {
        const res = await http(t.url, method, fb(), body);
        expect(res.status, `${method} ${JSON.stringify(body).slice(0, 60)}`).toBe(422);
        expect(JSON.stringify(res.json.detail)).toContain(field);
      }
    }
    const long = await http(t.url, "POST", fb(runIds[0]), { rating: 1, message_id: "m".repeat(257) });
    expect(long.status).toBe(422);
    expect(JSON.stringify(long.json.detail)).toContain("message_id");
    expect((await http(t.url, "GET", fb())).json).toEqual(before);
    // A comment of the largest length is taken.
    expect((await http(t.url, "PUT", fb(runIds[1]), { rating: 1, comment: "y".repeat(4000) })).status).toBe(200);
  });

  it("an unknown run, or a run of another thread, is a 404 on every operation", async () => {
    const other = await t.client.threads.create();
    const paths = [
      `/threads/${threadId}/runs/${MISSING}/feedback`,
      `/threads/${other.thread_id}/runs/${runIds[0]}/feedback`,
      `/threads/${MISSING}/runs/${runIds[0]}/feedback`,
    ];
    for (const path of paths) {
      expect((await http(t.url, "PUT", path, { rating: 1 })).status).toBe(404);
      expect((await http(t.url, "POST", path, { rating: 1 })).status).toBe(404);
      expect((await http(t.url, "GET", path)).status).toBe(404);
      expect((await http(t.url, "GET", `${path}/stats`)).status).toBe(404);
      expect((await http(t.url, "DELETE", path)).status).toBe(404);
      expect((await http(t.url, "DELETE", `${path}/${MISSING}`)).status).toBe(404);
    }
    expect((await http(t.url, "GET", fb())).json).toHaveLength(1);
  });

  it("thread and run messages attach the caller's feedback to each run's last AI message, null elsewhere", async () => {
    const mine = (await http(t.url, "GET", fb())).json[0];
    const second = (await http(t.url, "GET", fb(runIds[1]))).json[0];
    const all = await http(t.url, "GET", `/threads/${threadId}/messages`);
    expect(all.status).toBe(200);
    expect(all.json.map((m: any) => [m.event_type, m.feedback])).toEqual([
      ["llm.human.input", null],
      ["llm.ai.response", { feedback_id: mine.feedback_id, rating: -1, comment: null }],
      ["llm.human.input", null],
      ["llm.ai.response", { feedback_id: second.feedback_id, rating: 1, comment: "y".repeat(4000) }],
    ]);
    const page = await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[0]}/messages`);
    expect(page.status).toBe(200);
    expect(page.json.data.map((m: any) => m.feedback)).toEqual([null, all.json[1].feedback]);
    // Events are not messages: no feedback there.
    const events = await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[0]}/events`);
    expect(events.json.data.every((e: any) => !("feedback" in e))).toBe(true);
  });

  it("DELETE removes the caller's row (204, then 404); DELETE by id only on its own run", async () => {
    const second = (await http(t.url, "GET", fb(runIds[1]))).json[0];
    expect((await http(t.url, "DELETE", fb(runIds[0], `/${second.feedback_id}`))).status).toBe(404);
    expect((await http(t.url, "DELETE", fb(runIds[1], `/${second.feedback_id}`))).status).toBe(204);
    expect((await http(t.url, "DELETE", fb(runIds[1], `/${second.feedback_id}`))).status).toBe(404);
    expect((await http(t.url, "GET", fb(runIds[1]))).json).toEqual([]);

    expect((await http(t.url, "DELETE", fb())).status).toBe(204);
    expect((await http(t.url, "DELETE", fb())).status).toBe(404);
    expect((await http(t.url, "GET", fb(runIds[0], "/stats"))).json).toMatchObject({ total: 0 });
    const messages = await http(t.url, "GET", `/threads/${threadId}/messages`);
    expect(messages.json.every((m: any) => m.feedback === null)).toBe(true);
    // Given again after its delete: a new row.
    expect((await http(t.url, "POST", fb(), { rating: 1 })).status).toBe(200);
  });

  it("deleting a run or its thread deletes its feedback", async () => {
    const { threadId: tid, runIds: rids } = await threadWithRuns(t.client, 2);
    for (const rid of rids)
      expect((await http(t.url, "PUT", `/threads/${tid}/runs/${rid}/feedback`, { rating: 1 })).status).toBe(200);
    const { db } = t.server.services.stores as unknown as { db: import("better-sqlite3").Database };
    const count = () => (db.prepare("SELECT COUNT(*) AS n FROM feedback WHERE thread_id = ?").get(tid) as any).n;
    expect(count()).toBe(2);
    expect((await http(t.url, "DELETE", `/threads/${tid}/runs/${rids[0]}`)).status).toBe(204);
    expect(count()).toBe(1);
    expect((await http(t.url, "DELETE", `/threads/${tid}`)).status).toBe(204);
    expect(count()).toBe(0);
  });
});

describe("feedback on paginated messages", () => {
  let t: TestServer;
  let threadId: string;
  let runIds: string[];
  /** Every message entry of the thread, in one answer: what each page must agree with. */
  let all: any[];
  /** The seq of each run's last AI message: the one entry of the run that carries its feedback. */
  const lastAi = new Map<string, number>();

  beforeAll(async () => {
    t = await startTestServer();
    const thread = await t.client.threads.create();
    threadId = thread.thread_id;
    // Three AI messages in the first run, one in the second: a small page ends inside the first run.
    await t.client.runs.wait(threadId, "echo", { input: ask("long"), config: { configurable: { answers: 3 } } });
    await t.client.runs.wait(threadId, "echo", { input: ask("short"), config: { configurable: { answers: 1 } } });
    runIds = (await t.client.runs.list(threadId)).map((r) => r.run_id).reverse();
    for (const [i, runId] of runIds.entries()) {
      const res = await http(t.url, "PUT", `/threads/${threadId}/runs/${runId}/feedback`, { rating: i ? -1 : 1 });
      expect(res.status).toBe(200);
    }
    all = (await http(t.url, "GET", `/threads/${threadId}/messages?limit=200`)).json;
    for (const m of all) if (m.event_type === "llm.ai.response") lastAi.set(m.run_id, m.seq);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Feedback only on the run's real last AI message, null on every other entry, whatever page it is on. */
  function expectAttachedOnlyToLastAi(entries: any[]) {
    for (const m of entries) {
      const expected = all.find((e) => e.seq === m.seq).feedback;
      expect(m.feedback, `seq ${m.seq} (${m.event_type})`).toEqual(expected);
      expect(m.feedback !== null, `seq ${m.seq}`).toBe(lastAi.get(m.run_id) === m.seq);
    }
  }

  it("the whole list has the first run's three AI messages and feedback on each run's last", () => {
    expect(all.map((m) => m.event_type)).toEqual([
      "llm.human.input",
      "llm.ai.response",
      "llm.ai.response",
      "llm.ai.response",
      "llm.human.input",
      "llm.ai.response",
    ]);
    expect(all.filter((m) => m.feedback !== null).map((m) => [m.run_id, m.feedback.rating])).toEqual([
      [runIds[0], 1],
      [runIds[1], -1],
    ]);
    expectAttachedOnlyToLastAi(all);
  });

  it("thread messages, two at a time backward (before_seq) and forward (after_seq)", async () => {
    const seen: number[] = [];
    let before = "";
    for (;;) {
      const page = (await http(t.url, "GET", `/threads/${threadId}/messages?limit=2${before}`)).json;
      if (page.length === 0) break;
      expectAttachedOnlyToLastAi(page);
      seen.unshift(...page.map((m: any) => m.seq));
      before = `&before_seq=${page[0].seq}`;
    }
    expect(seen).toEqual(all.map((m) => m.seq));

    const forward: number[] = [];
    let after = all[0].seq;
    for (;;) {
      const page = (await http(t.url, "GET", `/threads/${threadId}/messages?limit=2&after_seq=${after}`)).json;
      if (page.length === 0) break;
      expectAttachedOnlyToLastAi(page);
      forward.push(...page.map((m: any) => m.seq));
      after = page[page.length - 1].seq;
    }
    expect(forward).toEqual(all.slice(1).map((m) => m.seq));
  });

  it("run messages, two at a time backward and forward", async () => {
    const path = `/threads/${threadId}/runs/${runIds[0]}/messages?limit=2`;
    const newest = (await http(t.url, "GET", path)).json;
    expect(newest.has_more).toBe(true);
    expectAttachedOnlyToLastAi(newest.data);
    const older = (await http(t.url, "GET", `${path}&before_seq=${newest.data[0].seq}`)).json;
    expect(older.data.map((m: any) => m.event_type)).toEqual(["llm.human.input", "llm.ai.response"]);
    expectAttachedOnlyToLastAi(older.data);
    const forward = (await http(t.url, "GET", `${path}&after_seq=${all[0].seq}`)).json;
    expect(forward.data.map((m: any) => m.event_type)).toEqual(["llm.ai.response", "llm.ai.response"]);
    expectAttachedOnlyToLastAi(forward.data);
  });
});

describe("feedback, auth mode api-keys", () => {
  let t: TestServer;
  let alice: Record<string, string>;
  let bob: Record<string, string>;
  let readOnly: Record<string, string>;
  let threadId: string;
  let runId: string;
  let path: string;

  beforeAll(async () => {
    t = await startTestServer({ authMode: "api-keys" });
    const keys = t.server.services.stores.apiKeys;
    alice = { "x-api-key": (await mintApiKey(keys, { user: "alice" })).key };
    bob = { "x-api-key": (await mintApiKey(keys, { user: "bob" })).key };
    readOnly = { "x-api-key": (await mintApiKey(keys, { user: "alice", permissions: ["runs:read"] })).key };
    const client = new Client({ apiUrl: t.url, defaultHeaders: alice, callerOptions: { maxRetries: 0 } });
    ({
      threadId,
      runIds: [runId],
    } = await threadWithRuns(client, 1));
    path = `/threads/${threadId}/runs/${runId}/feedback`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("the row belongs to the authenticated user", async () => {
    const res = await http(t.url, "POST", path, { rating: 1, comment: "alice's" }, alice);
    expect(res.status).toBe(200);
    expect(res.json.user_id).toBe("alice");
    expect((await http(t.url, "GET", path, undefined, alice)).json).toEqual([res.json]);
  });

  it("another user's run is a 404 on every operation, and nothing of alice's changes", async () => {
    const before = (await http(t.url, "GET", path, undefined, alice)).json;
    const id = before[0].feedback_id;
    const calls: [string, string, unknown?][] = [
      ["PUT", path, { rating: -1 }],
      ["POST", path, { rating: -1 }],
      ["GET", path],
      ["GET", `${path}/stats`],
      ["DELETE", path],
      ["DELETE", `${path}/${id}`],
    ];
    for (const [method, route, body] of calls) {
      const res = await http(t.url, method, route, body, bob);
      expect(res.status, `${method} ${route}`).toBe(404);
      expect(res.text).not.toContain("alice");
    }
    expect((await http(t.url, "GET", path, undefined, alice)).json).toEqual(before);
    const messages = await http(t.url, "GET", `/threads/${threadId}/messages`, undefined, alice);
    expect(messages.json.find((m: any) => m.event_type === "llm.ai.response").feedback.feedback_id).toBe(id);
  });

  it("reading needs runs:read, writing runs:update", async () => {
    expect((await http(t.url, "GET", path, undefined, readOnly)).status).toBe(200);
    expect((await http(t.url, "GET", `${path}/stats`, undefined, readOnly)).status).toBe(200);
    const put = await http(t.url, "PUT", path, { rating: -1 }, readOnly);
    expect(put.status).toBe(403);
    expect(put.json.detail).toContain("runs:update");
    expect((await http(t.url, "DELETE", path, undefined, readOnly)).status).toBe(403);
  });
});
