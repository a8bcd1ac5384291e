/**
 * Auth mode custom: langgraph.json's `auth.path` names an `Auth` object of the official SDK
 * (test/auth/fixtures/auth.ts), used unmodified. Driven through the SDK Client with defaultHeaders.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const AUTH_GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.json", import.meta.url));

let t: TestServer;
const as = (user: string) =>
  new Client({
    apiUrl: t.url,
    defaultHeaders: { Authorization: `Bearer user-${user}` },
    callerOptions: { maxRetries: 0 },
  });
const raw = (path: string, init: RequestInit & { user?: string } = {}) =>
  fetch(`${t.url}${path}`, {
    ...init,
    headers: {
      "content-type": "application/json",
      ...(init.user ? { authorization: `Bearer user-${init.user}` } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });

beforeAll(async () => {
  t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS });
});
afterAll(async () => {
  await t?.close();
});

describe("auth mode custom (langgraph.json auth.path)", () => {
  it("is chosen by langgraph.json's auth section, and /ok and /info need no credentials", async () => {
    expect(t.server.services.config.authMode).toBe("auto");
    expect((await raw("/ok")).status).toBe(200);
    expect((await raw("/info")).status).toBe(200);
    const refused = await raw("/threads", { method: "POST", body: "{}" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe("Bearer");
    expect(await refused.json()).toEqual({ detail: "who are you?" });
  });

  it("an HTTPException from authenticate sets the status, message and headers", async () => {
    const res = await raw("/threads/search", {
      method: "POST",
      body: "{}",
      headers: { authorization: "Bearer teapot" },
    });
    expect(res.status).toBe(418);
    expect(res.headers.get("x-teapot")).toBe("yes");
    expect(await res.json()).toEqual({ detail: "short and stout" });
  });

  it("a returned filter is stamped on what the user creates, over what the client sent", async () => {
    const thread = await as("alice").threads.create({ metadata: { owner: "mallory", topic: "t" } });
    // The handler's filter {owner} and its change to value.metadata (org) are both stored.
    expect(thread.metadata).toMatchObject({ owner: "alice", org: "acme", topic: "t" });
    // A patch cannot hand the thread to someone else's filter.
    const patched = await as("alice").threads.update(thread.thread_id, { metadata: { owner: "bob", more: 1 } });
    expect(patched.metadata).toMatchObject({ owner: "alice", more: 1 });
  });

  it("the filter applies to reads, search totals, runs, joins and streams: another user's is a 404 like a missing one", async () => {
    const alice = as("alice");
    const bob = as("bob");
    const thread = await alice.threads.create();
    const run = await alice.runs.create(thread.thread_id, "whoami", { input: {} });
    await alice.runs.join(thread.thread_id, run.run_id);

    const before = await raw("/threads/search", { method: "POST", body: JSON.stringify({ limit: 1 }), user: "bob" });
    const bobsTotal = Number(before.headers.get("x-pagination-total"));
    const found = await bob.threads.search({ limit: 100 });
    expect(found.map((x) => x.thread_id)).not.toContain(thread.thread_id);
    expect(found.length).toBe(bobsTotal);
    const byId = await raw("/threads/search", {
      method: "POST",
      body: JSON.stringify({ ids: [thread.thread_id] }),
      user: "bob",
    });
    expect(byId.headers.get("x-pagination-total")).toBe("0");
    expect(await byId.json()).toEqual([]);

    const missing = "00000000-0000-4000-8000-000000000000";
    for (const path of [
      `/threads/{t}`,
      `/threads/{t}/state`,
      `/threads/{t}/runs`,
      `/threads/{t}/runs/${run.run_id}`,
      `/threads/{t}/runs/${run.run_id}/join`,
      `/threads/{t}/runs/${run.run_id}/stream`,
    ]) {
      const theirs = await raw(path.replace("{t}", thread.thread_id), { user: "bob" });
      const none = await raw(path.replace("{t}", missing), { user: "bob" });
      expect(theirs.status, path).toBe(404);
      expect(none.status, path).toBe(404);
      const body = (await theirs.text()).replaceAll(thread.thread_id, missing);
      expect(body, path).toBe(await none.text());
    }
    const stateless = await raw(`/runs/${run.run_id}/stream`, { user: "bob" });
    expect(stateless.status).toBe(404);
    // Still all there for alice.
    expect((await alice.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
  });

  it("false from a handler is a 403, and the resource is left as it was", async () => {
    const thread = await as("reader").threads.create();
    const res = await raw(`/threads/${thread.thread_id}`, { method: "DELETE", user: "reader" });
    expect(res.status).toBe(403);
    expect((await as("reader").threads.get(thread.thread_id)).thread_id).toBe(thread.thread_id);
  });

  it("a handler's filter on assistants hides them from search and get", async () => {
    expect((await as("alice").assistants.search({ graphId: "whoami" })).length).toBe(1);
    expect(await as("hidden").assistants.search({})).toEqual([]);
    const res = await raw("/assistants/whoami", { user: "hidden" });
    expect(res.status).toBe(404);
    // Nor may a run start one: creating a run reads its assistant (assistants:read), as on LangGraph Platform.
    const thread = await as("hidden").threads.create();
    const run = await raw(`/threads/${thread.thread_id}/runs`, {
      method: "POST",
      body: JSON.stringify({ assistant_id: "whoami", input: {} }),
      user: "hidden",
    });
    expect(run.status).toBe(404);
    expect(await as("hidden").runs.list(thread.thread_id)).toEqual([]);
  });

  it("the graph sees the caller as langgraph_auth_user and langgraph_auth_user_id; a client cannot pose as another", async () => {
    const alice = as("alice");
    const thread = await alice.threads.create();
    const values = (await alice.runs.wait(thread.thread_id, "whoami", {
      input: {},
      config: { configurable: { langgraph_auth_user_id: "bob", langgraph_auth_user: { identity: "bob" } } },
      context: { langgraph_auth_user_id: "bob" },
    })) as Record<string, unknown>;
    expect(values).toMatchObject({
      user_id: "alice",
      user_identity: "alice",
      permissions: ["read", "write"],
      context_user_id: null,
    });
  });

  it("x-auth-scheme: langsmith is LangGraph Studio's user on a loopback address, and its handlers let it see all", async () => {
    const thread = await as("alice").threads.create();
    const res = await raw(`/threads/${thread.thread_id}`, { headers: { "x-auth-scheme": "langsmith" } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { thread_id: string }).thread_id).toBe(thread.thread_id);
  });

  it("Studio's header is an ordinary request with disable_studio_auth, and on an address beyond loopback", async () => {
    for (const [config, host] of [
      [fileURLToPath(new URL("./fixtures/langgraph.no-studio.json", import.meta.url)), "127.0.0.1"],
      [AUTH_GRAPHS, "0.0.0.0"],
    ]) {
      const other = await startTestServer({ graphsConfigPath: config, host });
      try {
        const url = other.url.replace("0.0.0.0", "127.0.0.1");
        const res = await fetch(`${url}/threads/search`, {
          method: "POST",
          headers: { "x-auth-scheme": "langsmith", "content-type": "application/json" },
          body: "{}",
        });
        expect(res.status, `${config} on ${host}`).toBe(401);
      } finally {
        await other.close();
      }
    }
  });

  it("a server whose auth file has no Auth object does not start, and says why", async () => {
    const broken = fileURLToPath(new URL("./fixtures/langgraph.broken-auth.json", import.meta.url));
    await expect(startTestServer({ graphsConfigPath: broken })).rejects.toThrow(/exports no Auth object as "auth"/);
  });

  it("POST /runs/cancel with status all stops only the caller's runs", async () => {
    const alice = as("alice");
    const thread = await alice.threads.create();
    const run = await alice.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 200 } },
    });
    const res = await raw("/runs/cancel", { method: "POST", body: JSON.stringify({ status: "all" }), user: "bob" });
    expect(res.status).toBe(204);
    expect(["pending", "running"]).toContain((await alice.runs.get(thread.thread_id, run.run_id)).status);
    await alice.runs.cancel(thread.thread_id, run.run_id, true);
    expect((await alice.runs.get(thread.thread_id, run.run_id)).status).toBe("interrupted");
  });
});
