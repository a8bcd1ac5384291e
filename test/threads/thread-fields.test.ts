/**
 * Thread fields of issue 15, through the official SDK client over real HTTP: `state_updated_at` (and
 * sorting by it), `select` on search, and a thread's `ttl` as create, patch and `include=ttl` show it.
 * The sweeping itself is in thread-ttl.test.ts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { keepLatest } from "./thread-state-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const hello = { messages: [{ role: "user", content: "hello there" }] };
const tag = () => ({ suite: randomUUID() });
const MINUTE = 60_000;

describe("state_updated_at", () => {
  it("starts at the creation, stays through a metadata patch, moves with a run's state", async () => {
    const thread = await t.client.threads.create({ metadata: tag() });
    expect(thread.state_updated_at).toBe(thread.created_at);

    const patched = await t.client.threads.update(thread.thread_id, { metadata: { colour: "blue" } });
    expect(patched.updated_at > thread.updated_at).toBe(true);
    expect(patched.state_updated_at).toBe(thread.state_updated_at);

    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    const ran = await t.client.threads.get(thread.thread_id);
    expect(ran.state_updated_at > patched.updated_at).toBe(true);

    await t.client.threads.updateState(thread.thread_id, { values: { messages: [] }, asNode: "agent" });
    const updated = await t.client.threads.get(thread.thread_id);
    expect(updated.state_updated_at > ran.state_updated_at).toBe(true);
  });

  it("search sorts by it, both ways", async () => {
    const suite = tag();
    const first = await t.client.threads.create({ metadata: suite });
    const second = await t.client.threads.create({ metadata: suite });
    // The first's state changes last: by state_updated_at it is the newest, by created_at the oldest.
    await t.client.runs.wait(first.thread_id, "echo", { input: hello });
    const desc = await t.client.threads.search({ metadata: suite, sortBy: "state_updated_at", sortOrder: "desc" });
    expect(desc.map((x) => x.thread_id)).toEqual([first.thread_id, second.thread_id]);
    const asc = await t.client.threads.search({ metadata: suite, sortBy: "state_updated_at", sortOrder: "asc" });
    expect(asc.map((x) => x.thread_id)).toEqual([second.thread_id, first.thread_id]);
    const byCreation = await t.client.threads.search({ metadata: suite, sortBy: "created_at", sortOrder: "desc" });
    expect(byCreation.map((x) => x.thread_id)).toEqual([second.thread_id, first.thread_id]);
  });
});

describe("threads.search select", () => {
  it("answers only the fields named", async () => {
    const suite = tag();
    const thread = await t.client.threads.create({ metadata: suite });
    const page = await t.client.threads.search({
      metadata: suite,
      select: ["thread_id", "status", "state_updated_at"],
    });
    expect(page).toEqual([{ thread_id: thread.thread_id, status: "idle", state_updated_at: thread.state_updated_at }]);
    const all = await t.client.threads.search({ metadata: suite });
    expect(Object.keys(all[0]).sort()).toEqual([
      "config",
      "created_at",
      "interrupts",
      "metadata",
      "state_updated_at",
      "status",
      "thread_id",
      "updated_at",
      "values",
    ]);
  });

  it("a field that is not one is 422 naming it", async () => {
    for (const select of [["owner_id"], ["ttl"], [], "thread_id"]) {
      const res = await http(t.url, "POST", "/threads/search", { select });
      expect(res.status, JSON.stringify(select)).toBe(422);
      expect(JSON.stringify(res.json)).toContain("select");
    }
  });
});

describe("thread ttl", () => {
  it("create takes it; include=ttl shows its strategy, minutes and expiry; plain reads do not", async () => {
    const before = Date.now();
    const thread = await t.client.threads.create({ metadata: tag(), ttl: keepLatest(90) });
    expect(thread).not.toHaveProperty("ttl");
    expect(await t.client.threads.get(thread.thread_id)).not.toHaveProperty("ttl");

    const res = await http(t.url, "GET", `/threads/${thread.thread_id}?include=ttl`);
    expect(res.status).toBe(200);
    expect(res.json.ttl).toMatchObject({ strategy: "keep_latest", ttl_minutes: 90 });
    const expires = Date.parse(res.json.ttl.expires_at);
    expect(expires).toBeGreaterThanOrEqual(before + 90 * MINUTE);
    expect(expires).toBeLessThanOrEqual(Date.now() + 90 * MINUTE);
    // The SDK sends include as a list.
    const viaSdk = (await t.client.threads.get(thread.thread_id, { include: ["ttl"] } as never)) as { ttl?: unknown };
    expect(viaSdk.ttl).toEqual(res.json.ttl);
  });

  it("the SDK's number form is minutes with strategy delete; without a ttl a thread has none", async () => {
    const thread = await t.client.threads.create({ metadata: tag(), ttl: 5 });
    const res = await http(t.url, "GET", `/threads/${thread.thread_id}?include=ttl`);
    expect(res.json.ttl).toMatchObject({ strategy: "delete", ttl_minutes: 5 });
    const plain = await t.client.threads.create({ metadata: tag() });
    expect((await http(t.url, "GET", `/threads/${plain.thread_id}?include=ttl`)).json.ttl).toBeNull();
  });

  it("patch sets it from now, an update moves the expiry, null takes it away", async () => {
    const thread = await t.client.threads.create({ metadata: tag() });
    await t.client.threads.update(thread.thread_id, { ttl: { ttl: 30 } });
    const first = (await http(t.url, "GET", `/threads/${thread.thread_id}?include=ttl`)).json;
    expect(first.ttl).toMatchObject({ strategy: "delete", ttl_minutes: 30 });
    expect(Date.parse(first.ttl.expires_at)).toBe(Date.parse(first.updated_at) + 30 * MINUTE);

    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    const later = (await http(t.url, "GET", `/threads/${thread.thread_id}?include=ttl`)).json;
    expect(later.ttl.ttl_minutes).toBe(30);
    expect(Date.parse(later.ttl.expires_at)).toBe(Date.parse(later.updated_at) + 30 * MINUTE);
    expect(later.ttl.expires_at > first.ttl.expires_at).toBe(true);

    const cleared = await http(t.url, "PATCH", `/threads/${thread.thread_id}`, { ttl: null });
    expect(cleared.status).toBe(200);
    expect((await http(t.url, "GET", `/threads/${thread.thread_id}?include=ttl`)).json.ttl).toBeNull();
  });

  it("a copy has its source's ttl, counted from the copy", async () => {
    const source = await t.client.threads.create({ metadata: tag(), ttl: keepLatest(45) });
    const copy = await t.client.threads.copy(source.thread_id);
    const res = await http(t.url, "GET", `/threads/${copy.thread_id}?include=ttl`);
    expect(res.json.ttl).toMatchObject({ strategy: "keep_latest", ttl_minutes: 45 });
    expect(Date.parse(res.json.ttl.expires_at)).toBe(Date.parse(copy.created_at) + 45 * MINUTE);
  });

  it("a bad ttl is 422 naming the field, and writes nothing", async () => {
    const suite = tag();
    const bad = [{ ttl: 0 }, { ttl: -1 }, { ttl: "10" }, { strategy: "archive", ttl: 10 }, { strategy: "delete" }, 10];
    for (const ttl of bad) {
      const res = await http(t.url, "POST", "/threads", { metadata: suite, ttl });
      expect(res.status, JSON.stringify(ttl)).toBe(422);
      expect(JSON.stringify(res.json)).toContain("ttl");
    }
    expect(await t.client.threads.count({ metadata: suite })).toBe(0);

    const thread = await t.client.threads.create({ metadata: suite });
    const patch = await http(t.url, "PATCH", `/threads/${thread.thread_id}`, { ttl: { ttl: 0 } });
    expect(patch.status).toBe(422);
    expect((await http(t.url, "GET", `/threads/${thread.thread_id}?include=ttl`)).json.ttl).toBeNull();

    // An include this server does not know is ignored, beside one it does.
    const include = await http(t.url, "GET", `/threads/${thread.thread_id}?include=owner,ttl`);
    expect(include.status).toBe(200);
    expect(include.json).toHaveProperty("ttl", null);
    expect(include.json).not.toHaveProperty("owner");
  });
});
