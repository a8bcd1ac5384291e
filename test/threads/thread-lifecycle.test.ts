/** Thread count, copy, prune and state metadata patches, through the official SDK client over real HTTP. */
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
