/**
 * Requests a browser page on another site can make without asking (no preflight): only JSON bodies
 * are read (a text/plain or form body is 415), and a server on a loopback address answers only to
 * loopback host names (DNS rebinding), unless THREADGATE_ALLOWED_HOSTS names more.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { request } from "../helpers/raw-http.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

async function threadCount(base = t.url): Promise<number> {
  const res = await http(base, "POST", "/threads/search", { limit: 1 });
  return Number(res.headers.get("x-pagination-total"));
}

function port(base: string): string {
  return new URL(base).port;
}

describe("only JSON bodies are read", () => {
  it("a text/plain POST /runs/cancel {status: all} (a request any page can send) is 415 and cancels nothing", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "echo", { input: {}, afterSeconds: 600 });
    for (const contentType of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded"]) {
      const res = await http(t.url, "POST", "/runs/cancel", '{"status":"all"}', { "content-type": contentType });
      expect(res.status, contentType).toBe(415);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(res.json.detail, contentType).toMatch(/application\/json/);
    }
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("pending");
    await t.client.runs.cancel(thread.thread_id, run.run_id, true);
  });

  it("form, multipart and untyped bodies are 415 and write nothing", async () => {
    const before = await threadCount();
    const bodies: [contentType: string | undefined, body: string][] = [
      ["text/plain", '{"metadata":{"via":"text"}}'],
      ["application/x-www-form-urlencoded", "metadata=1"],
      ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
      ["application/xml", "<thread/>"],
      [undefined, '{"metadata":{"via":"nothing"}}'],
    ];
    for (const [contentType, body] of bodies) {
      const res = await request(t.url, "POST", "/threads", {
        headers: { ...(contentType ? { "content-type": contentType } : {}), "content-length": String(body.length) },
        body,
      });
      expect(res.status, contentType).toBe(415);
      expect(typeof res.json.detail, contentType).toBe("string");
    }
    expect(await threadCount()).toBe(before);
  });

  it("application/json with a charset and any application/*+json type are read", async () => {
    for (const contentType of [
      "application/json; charset=utf-8",
      "application/vnd.threadgate+json",
      "APPLICATION/JSON",
    ]) {
      const res = await http(
        t.url,
        "POST",
        "/threads",
        { metadata: { type: contentType } },
        { "content-type": contentType },
      );
      expect(res.status, contentType).toBe(200);
      expect(res.json.metadata, contentType).toEqual({ type: contentType });
    }
  });

  it("requests without a body need no Content-Type: POST /threads, cancel, and the SDK's calls", async () => {
    const created = await request(t.url, "POST", "/threads");
    expect(created.status).toBe(200);
    const threadId = created.json.thread_id;
    const run = await t.client.runs.create(threadId, "echo", { input: {}, afterSeconds: 600 });
    const cancelled = await request(t.url, "POST", `/threads/${threadId}/runs/${run.run_id}/cancel?wait=1`);
    expect(cancelled.status).toBe(204);
    // A body-less request that names a Content-Type other than JSON is what an empty cross-site form
    // sends (no preflight): it is refused like a form with a body, so a page cannot create a thread.
    const before = await threadCount();
    const labelled = await request(t.url, "POST", "/threads", { headers: { "content-type": "text/plain" } });
    expect(labelled.status).toBe(415);
    expect(await threadCount()).toBe(before);

    const thread = await t.client.threads.create();
    const sdkRun = await t.client.runs.create(thread.thread_id, "echo", { input: {}, afterSeconds: 600 });
    await t.client.runs.cancel(thread.thread_id, sdkRun.run_id, true);
    expect((await t.client.runs.get(thread.thread_id, sdkRun.run_id)).status).toBe("interrupted");
  });
});

describe("Host names on a loopback address (DNS rebinding)", () => {
  it("a Host that is not a loopback name is 403 naming THREADGATE_ALLOWED_HOSTS, and writes nothing", async () => {
    const before = await threadCount();
    for (const host of [
      "evil.example",
      `evil.example:${port(t.url)}`,
      "127.0.0.1.evil.example",
      "localhost.evil.example",
    ]) {
      const get = await request(t.url, "GET", "/ok", { headers: { host } });
      expect(get.status, host).toBe(403);
      expect(get.headers["content-type"]).toMatch(/application\/json/);
      expect(get.json.detail, host).toMatch(/THREADGATE_ALLOWED_HOSTS/);
      const post = await request(t.url, "POST", "/threads", {
        headers: { host, "content-type": "application/json" },
        body: "{}",
      });
      expect(post.status, host).toBe(403);
    }
    expect(await threadCount()).toBe(before);
  });

  it("loopback names are served, with or without a port", async () => {
    const p = port(t.url);
    for (const host of [
      "localhost",
      `localhost:${p}`,
      "LOCALHOST",
      "app.localhost",
      `127.0.0.1:${p}`,
      "127.0.0.1",
      `[::1]:${p}`,
      "[::1]",
    ]) {
      const res = await request(t.url, "GET", "/ok", { headers: { host } });
      expect(res.status, host).toBe(200);
      expect(res.json).toEqual({ ok: true });
    }
  });

  it("THREADGATE_ALLOWED_HOSTS names more hosts (a reverse proxy); * allows any", async () => {
    const proxied = await startTestServer({ allowedHosts: ["threads.example.com"] });
    try {
      expect((await request(proxied.url, "GET", "/ok", { headers: { host: "threads.example.com" } })).status).toBe(200);
      expect((await request(proxied.url, "GET", "/ok", { headers: { host: "Threads.Example.com:443" } })).status).toBe(
        200,
      );
      expect((await request(proxied.url, "GET", "/ok", { headers: { host: "localhost" } })).status).toBe(200);
      expect((await request(proxied.url, "GET", "/ok", { headers: { host: "other.example.com" } })).status).toBe(403);
    } finally {
      await proxied.close();
    }
    const open = await startTestServer({ allowedHosts: "*" });
    try {
      expect((await request(open.url, "GET", "/ok", { headers: { host: "anything.example" } })).status).toBe(200);
    } finally {
      await open.close();
    }
    expect(loadConfig({}).allowedHosts).toEqual([]);
    expect(loadConfig({ THREADGATE_ALLOWED_HOSTS: " a.example , B.example:8443" }).allowedHosts).toEqual([
      "a.example",
      "b.example",
    ]);
    expect(loadConfig({ THREADGATE_ALLOWED_HOSTS: "*" }).allowedHosts).toBe("*");
  });

  it("a server on a non-loopback address does not check Host", async () => {
    const wide = await startTestServer({ host: "0.0.0.0", allowUnauthenticated: true });
    try {
      const res = await request(wide.url, "GET", "/ok", { headers: { host: "threads.example.com" } });
      expect(res.status).toBe(200);
    } finally {
      await wide.close();
    }
  });
});

describe("required bodies", () => {
  it("POST /threads/{id}/state without a body is a 422 naming the body, and writes no checkpoint", async () => {
    const thread = (await http(t.url, "POST", "/threads", { metadata: { graph_id: "echo" } })).json;
    const res = await fetch(`${t.url}/threads/${thread.thread_id}/state`, { method: "POST" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: unknown }).detail).toEqual([
      { loc: ["body"], msg: "a request body is required", type: "missing" },
    ]);
    expect(await t.client.threads.getHistory(thread.thread_id)).toEqual([]);
  });
});

describe("a Content-Type without a body", () => {
  it("an empty text/plain or form POST (what a cross-site form sends) is 415; an empty JSON one is served", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "slow", {
      input: {},
      afterSeconds: 60,
    });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await fetch(`${t.url}/threads/${thread.thread_id}/runs/${run.run_id}/cancel`, {
        method: "POST",
        headers: { "content-type": type },
      });
      expect(res.status, type).toBe(415);
    }
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("pending");
    const json = await fetch(`${t.url}/threads/${thread.thread_id}/runs/${run.run_id}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(json.status).toBe(202);
  });
});
