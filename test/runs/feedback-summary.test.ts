/**
 * The feedback summary on runs (a Threadgate/DeerFlow extension): every run the API shows carries
 * `feedback: {total, positive, negative}`, the counts `GET …/feedback/stats` gives, over every user's
 * rows. Finished runs' JSON is cached between reads, so each check reads the run before and after a
 * feedback write: the summary must follow the write at once. With the cache on and off; over real
 * HTTP (the SDK for runs, raw HTTP for feedback, which the SDK has no calls for).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const ask = (text: string) => ({ messages: [{ role: "user", content: text }] });
const NONE = { total: 0, positive: 0, negative: 0 };

for (const [label, runCacheBytes] of [
  ["run JSON cache on", 16 * 1024 * 1024],
  ["run JSON cache off", 0],
] as const) {
  describe(`feedback summary on runs, ${label}`, () => {
    let t: TestServer;
    let threadId: string;
    let runIds: string[];
    const fb = (runId: string, rest = "") => `/threads/${threadId}/runs/${runId}/feedback${rest}`;

    /** The run's summary as GET run and list runs show it; both must agree. */
    async function summary(runId: string) {
      const got = await t.client.runs.get(threadId, runId);
      const listed = (await t.client.runs.list(threadId)).find((r) => r.run_id === runId);
      expect((listed as any).feedback).toEqual((got as any).feedback);
      return (got as any).feedback;
    }

    beforeAll(async () => {
      t = await startTestServer({ runCacheBytes });
      const thread = await t.client.threads.create();
      threadId = thread.thread_id;
      for (const q of ["one", "two"]) await t.client.runs.wait(threadId, "echo", { input: ask(q) });
      runIds = (await t.client.runs.list(threadId)).map((r) => r.run_id).reverse();
    });
    afterAll(async () => {
      await t?.close();
    });

    it("a finished run without feedback shows zeros, last among its fields", async () => {
      const run = (await t.client.runs.get(threadId, runIds[0])) as any;
      expect(run.status).toBe("success");
      expect(run.feedback).toEqual(NONE);
      expect(Object.keys(run).at(-1)).toBe("feedback");
      const raw = await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[0]}`);
      expect(raw.json).toEqual(run);
    });

    it("follows every PUT, POST and DELETE at once, on that run only", async () => {
      const [a, b] = runIds;
      expect(await summary(a)).toEqual(NONE);
      expect((await http(t.url, "PUT", fb(a), { rating: 1 })).status).toBe(200);
      expect(await summary(a)).toEqual({ total: 1, positive: 1, negative: 0 });
      expect(await summary(b)).toEqual(NONE);
      expect((await http(t.url, "PUT", fb(a), { rating: -1, comment: "no" })).status).toBe(200);
      expect(await summary(a)).toEqual({ total: 1, positive: 0, negative: 1 });
      expect((await http(t.url, "DELETE", fb(a))).status).toBe(204);
      expect(await summary(a)).toEqual(NONE);
      const created = await http(t.url, "POST", fb(b), { rating: 1 });
      expect(created.status).toBe(200);
      expect(await summary(b)).toEqual({ total: 1, positive: 1, negative: 0 });
      expect((await http(t.url, "DELETE", fb(b, `/${created.json.feedback_id}`))).status).toBe(204);
      expect(await summary(b)).toEqual(NONE);
    });

    it("counts every user's feedback, as the stats do", async () => {
      const [a] = runIds;
      expect((await http(t.url, "PUT", fb(a), { rating: 1 })).status).toBe(200);
      expect(await summary(a)).toEqual({ total: 1, positive: 1, negative: 0 });
      // A second user's row, written through the server's own feedback store.
      await t.server.services.stores.feedback.upsert({
        feedback_id: crypto.randomUUID(),
        run_id: a,
        thread_id: threadId,
        user_id: "someone-else",
        rating: -1,
      });
      const stats = (await http(t.url, "GET", fb(a, "/stats"))).json;
      expect(stats).toEqual({ run_id: a, total: 2, positive: 1, negative: 1 });
      expect(await summary(a)).toEqual({ total: 2, positive: 1, negative: 1 });
    });

    it("runs just created show zeros: create, stateless create and batch", async () => {
      const created = (await t.client.runs.create(threadId, "echo", { input: ask("three") })) as any;
      expect(created.feedback).toEqual(NONE);
      const stateless = (await t.client.runs.create(null, "echo", { input: ask("four") })) as any;
      expect(stateless.feedback).toEqual(NONE);
      const batch = await http(t.url, "POST", "/runs/batch", [{ assistant_id: "echo", input: ask("five") }]);
      expect(batch.status).toBe(200);
      expect(batch.json.map((r: any) => r.feedback)).toEqual([NONE]);
      await t.client.runs.join(threadId, created.run_id);
    });
  });
}

describe("feedback summary on runs, auth mode api-keys", () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ authMode: "api-keys" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("the owner sees the counts of the feedback on their run; another user cannot reach the run", async () => {
    const keys = t.server.services.stores.apiKeys;
    const alice = { "x-api-key": (await mintApiKey(keys, { user: "alice" })).key };
    const bob = { "x-api-key": (await mintApiKey(keys, { user: "bob" })).key };
    const client = new Client({ apiUrl: t.url, defaultHeaders: alice, callerOptions: { maxRetries: 0 } });
    const thread = await client.threads.create();
    await client.runs.wait(thread.thread_id, "echo", { input: ask("hi") });
    const [run] = await client.runs.list(thread.thread_id);
    const path = `/threads/${thread.thread_id}/runs/${run.run_id}`;
    expect((run as any).feedback).toEqual(NONE);
    expect((await http(t.url, "PUT", `${path}/feedback`, { rating: 1 }, alice)).status).toBe(200);
    expect(((await client.runs.get(thread.thread_id, run.run_id)) as any).feedback).toEqual({
      total: 1,
      positive: 1,
      negative: 0,
    });
    expect((await http(t.url, "GET", path, undefined, bob)).status).toBe(404);
    expect((await http(t.url, "PUT", `${path}/feedback`, { rating: -1 }, bob)).status).toBe(404);
    expect((await http(t.url, "GET", path, undefined, alice)).json.feedback).toEqual({
      total: 1,
      positive: 1,
      negative: 0,
    });
  });
});
