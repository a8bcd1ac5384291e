/**
 * Crons through the official SDK's `client.crons` (raw fetch for GET by id, which the SDK lacks):
 * create on a thread and stateless, search, count, get, patch, delete; a bad schedule or time zone is
 * a 422 naming the field with nothing written; in api-keys mode another user's cron is a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@langchain/langgraph-sdk";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { clientWith } from "../helpers/sdk.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING = "00000000-0000-4000-8000-000000000000";
const YEARLY = "0 0 1 1 *"; // far enough off that no test here sees it fire

describe("crons, no authentication", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("/info says crons: true", async () => {
    const info = await http(t.url, "GET", "/info");
    expect(info.json.flags.crons).toBe(true);
  });

  it("createForThread answers the Cron, with the run fields as its payload and the next slot", async () => {
    const thread = await t.client.threads.create();
    const cron = await t.client.crons.createForThread(thread.thread_id, "echo", {
      schedule: "*/5 * * * *",
      input: { messages: [{ role: "user", content: "tick" }] },
      metadata: { team: "a" },
      timezone: "Europe/Paris",
    });
    expect(cron).toEqual({
      cron_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      assistant_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      thread_id: thread.thread_id,
      on_run_completed: null,
      end_time: null,
      schedule: "*/5 * * * *",
      timezone: "Europe/Paris",
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
      payload: { input: { messages: [{ role: "user", content: "tick" }] }, metadata: { team: "a" } },
      user_id: null,
      next_run_date: expect.stringMatching(ISO),
      metadata: { team: "a" },
      enabled: true,
    });
    const next = Date.parse((cron as unknown as { next_run_date: string }).next_run_date);
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(new Date(next).getUTCMinutes() % 5).toBe(0);
    const got = await http(t.url, "GET", `/runs/crons/${cron.cron_id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(cron);
  });

  it("create (stateless) defaults on_run_completed to delete; end_time is kept as given", async () => {
    const endTime = new Date(Date.now() + 86_400_000).toISOString();
    const cron = (await t.client.crons.create("echo", { schedule: YEARLY, endTime })) as unknown as Record<
      string,
      unknown
    >;
    expect(cron).toMatchObject({ thread_id: null, on_run_completed: "delete", end_time: endTime, enabled: true });
    // The next slot (Jan 1st) lies after end_time: there is none.
    if (!new Date().toISOString().startsWith(`${new Date().getUTCFullYear()}-12-31`))
      expect(cron.next_run_date).toBeNull();
    const kept = await t.client.crons.create("echo", { schedule: YEARLY, onRunCompleted: "keep", enabled: false });
    expect(kept).toMatchObject({ on_run_completed: "keep", enabled: false });
  });

  it("a bad schedule or time zone is a 422 naming the field, and nothing is written", async () => {
    const before = await t.client.crons.count();
    for (const [body, field] of [
      [{ assistant_id: "echo", schedule: "every day" }, "schedule"],
      [{ assistant_id: "echo", schedule: "61 * * * *" }, "schedule"],
      [{ assistant_id: "echo", schedule: "0 0 30 2 *" }, "schedule"], // never fires
      [{ assistant_id: "echo", schedule: "* * * * * * *" }, "schedule"],
      [{ assistant_id: "echo", schedule: "* * * * *", timezone: "Mars/Olympus" }, "timezone"],
    ] as const) {
      const res = await http(t.url, "POST", "/runs/crons", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.detail[0].loc).toEqual(["body", field]);
    }
    const thread = await t.client.threads.create();
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/crons`, {
      assistant_id: "echo",
      schedule: "nope",
    });
    expect(res.status).toBe(422);
    expect(await t.client.crons.count()).toBe(before);
    // Unknown assistant or thread: 404.
    expect((await http(t.url, "POST", "/runs/crons", { assistant_id: "nope", schedule: YEARLY })).status).toBe(404);
    const missing = await http(t.url, "POST", `/threads/${MISSING}/runs/crons`, {
      assistant_id: "echo",
      schedule: YEARLY,
    });
    expect(missing.status).toBe(404);
    expect(await t.client.crons.count()).toBe(before);
  });

  it("search and count filter by assistant, thread, enabled and metadata; sort, page and select", async () => {
    const thread = await t.client.threads.create();
    const made = [];
    for (let i = 0; i < 4; i++)
      made.push(
        await t.client.crons.createForThread(thread.thread_id, "echo", {
          schedule: `${i} 0 1 1 *`,
          metadata: { batch: "s", i },
          enabled: i !== 3,
        }),
      );
    const ids = made.map((c) => c.cron_id);
    expect(await t.client.crons.count({ threadId: thread.thread_id })).toBe(4);
    expect(await t.client.crons.count({ metadata: { batch: "s", i: 2 } })).toBe(1);
    const byThread = await t.client.crons.search({
      threadId: thread.thread_id,
      sortBy: "created_at",
      sortOrder: "asc",
    });
    expect(byThread.map((c) => c.cron_id)).toEqual(ids);
    const page = await t.client.crons.search({ threadId: thread.thread_id, limit: 2, offset: 1, sortOrder: "asc" });
    expect(page.map((c) => c.cron_id)).toEqual(ids.slice(1, 3));
    const enabled = await t.client.crons.search({ threadId: thread.thread_id, enabled: false });
    expect(enabled.map((c) => c.cron_id)).toEqual([ids[3]]);
    const selected = await t.client.crons.search({
      threadId: thread.thread_id,
      select: ["cron_id", "schedule"],
      limit: 1,
    });
    expect(Object.keys(selected[0]).sort()).toEqual(["cron_id", "schedule"]);
    // `now`, which the SDK's CronSelectField offers: the server's time of the answer.
    const before = new Date().toISOString();
    const withNow = await t.client.crons.search({ select: ["cron_id", "next_run_date", "now"], limit: 1 });
    expect(Object.keys(withNow[0]).sort()).toEqual(["cron_id", "next_run_date", "now"]);
    const now = (withNow[0] as unknown as { now: string }).now;
    expect(now >= before && now <= new Date().toISOString()).toBe(true);
    const byGraph = await t.client.crons.search({ assistantId: "echo", threadId: thread.thread_id });
    expect(byGraph).toHaveLength(4);
    expect(await t.client.crons.count({ assistantId: "echo", threadId: thread.thread_id })).toBe(4);
  });

  it("update changes the schedule (and next_run_date), merges metadata, replaces run fields; 422 writes nothing", async () => {
    const cron = await t.client.crons.create("echo", { schedule: YEARLY, metadata: { a: 1 }, input: { x: 1 } });
    const updated = (await t.client.crons.update(cron.cron_id, {
      schedule: "30 12 * * *",
      metadata: { b: 2 },
      input: { x: 2 },
      enabled: false,
    })) as unknown as Record<string, any>;
    expect(updated).toMatchObject({
      schedule: "30 12 * * *",
      metadata: { a: 1, b: 2 },
      enabled: false,
      payload: { input: { x: 2 }, metadata: { a: 1, b: 2 } },
    });
    const next = new Date(updated.next_run_date);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([12, 30]);
    const bad = await http(t.url, "PATCH", `/runs/crons/${cron.cron_id}`, { schedule: "bad", metadata: { c: 3 } });
    expect(bad.status).toBe(422);
    expect(bad.json.detail[0].loc).toEqual(["body", "schedule"]);
    const tz = await http(t.url, "PATCH", `/runs/crons/${cron.cron_id}`, { timezone: "No/Where" });
    expect(tz.json.detail[0].loc).toEqual(["body", "timezone"]);
    expect((await http(t.url, "GET", `/runs/crons/${cron.cron_id}`)).json).toEqual(updated);
    const cleared = await t.client.crons.update(cron.cron_id, { endTime: null as unknown as string });
    expect(cleared).toMatchObject({ end_time: null });
  });

  it("delete removes it (200 {}); then get, patch and delete are 404; deleting a thread deletes its crons", async () => {
    const cron = await t.client.crons.create("echo", { schedule: YEARLY });
    const deleted = await http(t.url, "DELETE", `/runs/crons/${cron.cron_id}`);
    expect([deleted.status, deleted.json]).toEqual([200, {}]);
    expect((await http(t.url, "GET", `/runs/crons/${cron.cron_id}`)).status).toBe(404);
    expect((await http(t.url, "PATCH", `/runs/crons/${cron.cron_id}`, { enabled: true })).status).toBe(404);
    await expect(t.client.crons.delete(cron.cron_id)).rejects.toThrow(/404/);
    const thread = await t.client.threads.create();
    const onThread = await t.client.crons.createForThread(thread.thread_id, "echo", { schedule: YEARLY });
    await t.client.threads.delete(thread.thread_id);
    expect((await http(t.url, "GET", `/runs/crons/${onThread.cron_id}`)).status).toBe(404);
  });
});

describe("crons, api-keys: each user's own", () => {
  let t: TestServer;
  let alice: Client;
  let bob: Client;
  let bobKey: string;
  beforeAll(async () => {
    t = await startTestServer({ authMode: "api-keys" });
    const key = async (user: string) => (await mintApiKey(t.server.services.stores.apiKeys, { user })).key;
    const client = (k: string) => clientWith(t.url, { "x-api-key": k });
    alice = client(await key("alice"));
    bobKey = await key("bob");
    bob = client(bobKey);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("another user's cron is a 404 everywhere and is never listed or counted", async () => {
    const cron = await alice.crons.create("echo", { schedule: YEARLY, metadata: { owner: "bob" } });
    expect(cron).toMatchObject({ user_id: "alice", metadata: { owner: "alice" } });
    const headers = { "x-api-key": bobKey };
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { enabled: false }],
      ["DELETE", undefined],
    ] as const) {
      const res = await http(t.url, method, `/runs/crons/${cron.cron_id}`, body, headers);
      expect(res.status, method).toBe(404);
    }
    expect(await bob.crons.search()).toEqual([]);
    expect(await bob.crons.count()).toBe(0);
    expect((await alice.crons.search()).map((c) => c.cron_id)).toEqual([cron.cron_id]);
    // Bob cannot schedule runs on Alice's thread either.
    const thread = await alice.threads.create();
    await expect(bob.crons.createForThread(thread.thread_id, "echo", { schedule: YEARLY })).rejects.toThrow(/404/);
    expect(await alice.crons.count()).toBe(1);
  });
});
