/**
 * Metadata is bounded: at most 100 keys in any request's metadata, and in a thread's after merges.
 * LangChain copies a run's metadata key by key for every runnable it calls (quadratic in the keys), so
 * a thread with 1,000 metadata keys made each run on it take seconds and a few thousand took minutes,
 * holding up every run on the same graph worker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const keys = (n: number, prefix = "k") => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));
const locs = (res: { json: any }) => res.json.detail.map((d: { loc: unknown[] }) => d.loc);

async function threadCount(): Promise<number> {
  const res = await http(t.url, "POST", "/threads/search", { limit: 1 });
  return Number(res.headers.get("x-pagination-total"));
}

describe("metadata limits", () => {
  it("a thread takes 100 metadata keys; 101 are a 422 naming body.metadata and no thread is made", async () => {
    expect((await http(t.url, "POST", "/threads", { metadata: keys(100) })).status).toBe(200);
    const before = await threadCount();
    const res = await http(t.url, "POST", "/threads", { metadata: keys(101) });
    expect(res.status).toBe(422);
    expect(locs(res)).toEqual([["body", "metadata"]]);
    expect(await threadCount()).toBe(before);
  });

  it("a patch may not grow a thread's metadata past 100 keys; the thread keeps what it had", async () => {
    const thread = await t.client.threads.create({ metadata: keys(60, "a") });
    const res = await http(t.url, "PATCH", `/threads/${thread.thread_id}`, { metadata: keys(41, "b") });
    expect(res.status).toBe(422);
    expect(locs(res)).toEqual([["body", "metadata"]]);
    expect(res.json.detail[0].msg).toMatch(/101 keys/);
    expect(Object.keys((await t.client.threads.get(thread.thread_id)).metadata ?? {})).toHaveLength(60);
    // Overwriting keys it has is no growth; the keys its runs stamp (graph_id, assistant_id) do not count.
    const same = await http(t.url, "PATCH", `/threads/${thread.thread_id}`, { metadata: keys(40, "b") });
    expect(same.status).toBe(200);
    await t.client.runs.wait(thread.thread_id, "echo", { input: { messages: [{ role: "user", content: "hi" }] } });
    const again = await http(t.url, "PATCH", `/threads/${thread.thread_id}`, { metadata: keys(60, "a") });
    expect(again.status).toBe(200);
    expect(Object.keys(again.json.metadata)).toHaveLength(102);
  });

  it("a run's metadata and its config.metadata take at most 100 keys; more start nothing", async () => {
    const thread = await t.client.threads.create();
    const input = { messages: [{ role: "user", content: "hi" }] };
    const direct = await http(t.url, "POST", `/threads/${thread.thread_id}/runs`, {
      assistant_id: "echo",
      input,
      metadata: keys(101),
    });
    expect(direct.status).toBe(422);
    expect(locs(direct)).toEqual([["body", "metadata"]]);
    const viaConfig = await http(t.url, "POST", `/threads/${thread.thread_id}/runs`, {
      assistant_id: "echo",
      input,
      config: { metadata: keys(101) },
    });
    expect(viaConfig.status).toBe(422);
    expect(locs(viaConfig)).toEqual([["body", "config", "metadata"]]);
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
  });

  it("metadata filters of searches are bounded the same way (5,000 keys were a 500 on history search)", async () => {
    const thread = await t.client.threads.create();
    const history = await http(t.url, "POST", `/threads/${thread.thread_id}/history`, { metadata: keys(5000) });
    expect(history.status).toBe(422);
    expect(locs(history)).toEqual([["body", "metadata"]]);
    const search = await http(t.url, "POST", "/threads/search", { metadata: keys(101) });
    expect(search.status).toBe(422);
    const assistants = await http(t.url, "POST", "/assistants/search", { metadata: keys(101) });
    expect(assistants.status).toBe(422);
  });
});
