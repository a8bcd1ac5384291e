/**
 * Properties of the HTTP layer: the contract's routes are really loaded,
 * routing and validation failures leave as the `{detail}` envelope, unknown
 * inputs the SDK may send are ignored, the API works under a base path, and
 * CORS lets a browser client read what it needs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { bundleSpec } from "../../src/http/spec-document.ts";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const spec = (await bundleSpec()) as unknown as { paths: Record<string, Record<string, unknown>> };
const SPEC_OPERATIONS = Object.values(spec.paths).reduce(
  (n, item) => n + HTTP_METHODS.filter((m) => item[m] !== undefined).length,
  0,
);

const hello = { messages: [{ role: "user", content: "hello there" }] };
const MISSING = "00000000-0000-4000-8000-000000000000";

/** A response body must never carry a stack trace or source locations. */
function expectNoStack(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/node_modules|\.ts:\d+|\.js:\d+/);
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

describe("the contract is loaded", () => {
  it("every operation in spec/openapi.yaml is routed", () => {
    expect(SPEC_OPERATIONS).toBeGreaterThan(20);
    expect(t.server.operationCount).toBe(SPEC_OPERATIONS);
  });

  it("GET /ok answers {ok:true}", async () => {
    const res = await http(t.url, "GET", "/ok");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.json).toEqual({ ok: true });
  });

  it("several operations of different tags answer through their handlers", async () => {
    const info = await http(t.url, "GET", "/info");
    expect(info.status).toBe(200);
    expect(info.json.flags).toMatchObject({ assistants: true, crons: true });
    expect(info.json.context).toBe("js");

    const assistants = await http(t.url, "POST", "/assistants/search", {});
    expect(assistants.status).toBe(200);
    expect(assistants.json.map((a: { graph_id: string }) => a.graph_id)).toContain("echo");

    const assistant = await http(t.url, "GET", "/assistants/two_node");
    expect(assistant.status).toBe(200);
    expect(assistant.json.graph_id).toBe("two_node");

    const created = await http(t.url, "POST", "/threads", {});
    expect(created.status).toBe(200);
    expect(created.json.thread_id).toMatch(/^[0-9a-f-]{36}$/);
    const fetched = await http(t.url, "GET", `/threads/${created.json.thread_id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json.thread_id).toBe(created.json.thread_id);

    const runs = await http(t.url, "GET", `/threads/${created.json.thread_id}/runs`);
    expect(runs.status).toBe(200);
    expect(runs.json).toEqual([]);
  });
});

describe("routing failures", () => {
  it("an unknown path is 404 with a JSON {detail}", async () => {
    const res = await http(t.url, "GET", "/no/such/route");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(typeof res.json.detail).toBe("string");
    expect(res.json.detail.length).toBeGreaterThan(0);
  });

  it("path parameters are percent-decoded; a malformed escape is a 422 naming the parameter, not a 500", async () => {
    const thread = await t.client.threads.create();
    const encoded = thread.thread_id.replace(/-/g, "%2D");
    const fetched = await http(t.url, "GET", `/threads/${encoded}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json.thread_id).toBe(thread.thread_id);

    const bad = await http(t.url, "GET", "/threads/%E0%A4%A");
    expect(bad.status).toBe(422);
    expect(bad.json.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([["path", "thread_id"]]);
  });

  it("a known path with a wrong method is 405 with an Allow header", async () => {
    const res = await http(t.url, "DELETE", "/ok");
    expect(res.status).toBe(405);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(typeof res.json.detail).toBe("string");
    expect(res.headers.get("allow")).toBe("GET");

    const thread = await t.client.threads.create();
    const put = await http(t.url, "PUT", `/threads/${thread.thread_id}`, {});
    expect(put.status).toBe(405);
    const allow = (put.headers.get("allow") ?? "")
      .split(",")
      .map((s) => s.trim())
      .sort();
    expect(allow).toEqual(["DELETE", "GET", "PATCH"]);
  });
});

describe("request validation", () => {
  it("a malformed JSON body is 422 naming `body`, without a stack trace", async () => {
    for (const contentType of ["application/json", "application/vnd.api+json"]) {
      const res = await http(t.url, "POST", "/threads", '{"metadata": {"a": 1,', { "content-type": contentType });
      expect(res.status, contentType).toBe(422);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(Array.isArray(res.json.detail)).toBe(true);
      expect(res.json.detail[0].loc).toEqual(["body"]);
      expect(res.json.detail[0].msg).toMatch(/JSON/);
      expectNoStack(res.text);
    }
    // Nothing was created by the rejected requests.
    const listed = await t.client.threads.search({ metadata: { a: 1 } });
    expect(listed).toEqual([]);
  });

  it("a malformed body on a run-creating route is 422 too, never 500", async () => {
    const thread = await t.client.threads.create();
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/wait`, "{assistant_id: echo}");
    expect(res.status).toBe(422);
    expect(res.json.detail[0].loc).toEqual(["body"]);
    expectNoStack(res.text);
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
  });

  it("a body of the wrong JSON type is 422 naming `body`", async () => {
    const res = await http(t.url, "POST", "/threads/search", "[1,2,3]");
    expect(res.status).toBe(422);
    expect(res.json.detail.map((d: { loc: unknown[] }) => d.loc[0])).toContain("body");
    expectNoStack(res.text);
  });

  it("a non-uuid thread_id in the path is 422 naming path.thread_id", async () => {
    for (const route of ["/threads/not-a-uuid", "/threads/not-a-uuid/state", "/threads/not-a-uuid/runs"]) {
      const res = await http(t.url, "GET", route);
      expect(res.status, route).toBe(422);
      const locs = res.json.detail.map((d: { loc: unknown[] }) => d.loc.join("."));
      expect(locs, route).toContain("path.thread_id");
      expect(res.json.detail[0].type).toBe("format");
    }
  });

  it("a wrong query type is 422 naming query.limit", async () => {
    const thread = await t.client.threads.create();
    const res = await http(t.url, "GET", `/threads/${thread.thread_id}/runs?limit=abc`);
    expect(res.status).toBe(422);
    const locs = res.json.detail.map((d: { loc: unknown[] }) => d.loc.join("."));
    expect(locs).toEqual(["query.limit"]);
    expect(res.json.detail[0].msg.length).toBeGreaterThan(0);

    const outOfRange = await http(t.url, "GET", `/threads/${thread.thread_id}/runs?limit=0`);
    expect(outOfRange.status).toBe(422);
    expect(outOfRange.json.detail[0].loc).toEqual(["query", "limit"]);
  });

  it("a wrong body field is 422 naming it, and a missing required one too", async () => {
    const bad = await http(t.url, "POST", "/threads", { thread_id: "nope", if_exists: "sometimes" });
    expect(bad.status).toBe(422);
    const locs = bad.json.detail.map((d: { loc: unknown[] }) => d.loc.join("."));
    expect(locs).toContain("body.thread_id");
    expect(locs).toContain("body.if_exists");

    const thread = await t.client.threads.create();
    const missing = await http(t.url, "POST", `/threads/${thread.thread_id}/runs`, { input: hello });
    expect(missing.status).toBe(422);
    expect(missing.json.detail.map((d: { loc: unknown[] }) => d.loc.join("."))).toContain("body.assistant_id");
  });
});

describe("unknown inputs are ignored", () => {
  it("unknown query parameters answer 200, and declared ones still apply", async () => {
    const thread = await t.client.threads.create({ metadata: { probe: "query" } });
    const get = await http(t.url, "GET", `/threads/${thread.thread_id}?foo=bar&include=values&select=x`);
    expect(get.status).toBe(200);
    expect(get.json.thread_id).toBe(thread.thread_id);

    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    const limited = await http(t.url, "GET", `/threads/${thread.thread_id}/runs?limit=1&sdk_future_param=1`);
    expect(limited.status).toBe(200);
    expect(limited.json).toHaveLength(1);

    // An unknown parameter does not hide a wrong declared one.
    const wrong = await http(t.url, "GET", `/threads/${thread.thread_id}/runs?limit=abc&sdk_future_param=1`);
    expect(wrong.status).toBe(422);
    expect(wrong.json.detail.map((d: { loc: unknown[] }) => d.loc.join("."))).toEqual(["query.limit"]);

    const state = await http(t.url, "GET", `/threads/${thread.thread_id}/state?whatever=1`);
    expect(state.status).toBe(200);
    expect(state.json.values.messages).toHaveLength(4);
  });

  it("unknown body fields are ignored", async () => {
    const res = await http(t.url, "POST", "/threads", {
      metadata: { probe: "body" },
      supersteps: null,
      ttl: { ttl: 5, strategy: "delete" },
      some_future_option: { x: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.json.metadata).toEqual({ probe: "body" });
    expect(res.json).not.toHaveProperty("some_future_option");

    const search = await http(t.url, "POST", "/threads/search", {
      metadata: { probe: "body" },
      select: ["thread_id"],
      extract: { a: "b" },
    });
    expect(search.status).toBe(200);
    expect(search.json.map((th: { thread_id: string }) => th.thread_id)).toEqual([res.json.thread_id]);
  });
});

describe("mounted at a base path", () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ basePath: "/api" });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("serves under the prefix only", async () => {
    expect(api.url.endsWith("/api")).toBe(true);
    const origin = api.url.slice(0, -"/api".length);
    const ok = await http(origin, "GET", "/api/ok");
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ ok: true });
    const bare = await http(origin, "GET", "/ok");
    expect(bare.status).toBe(404);
    expect(typeof bare.json.detail).toBe("string");
    expect(api.server.operationCount).toBe(SPEC_OPERATIONS);
  });

  it("an SDK client with apiUrl ending in /api creates threads and waits for runs", async () => {
    const client = new Client({ apiUrl: api.url, callerOptions: { maxRetries: 0 } });
    const thread = await client.threads.create({ metadata: { mounted: true } });
    expect((await client.threads.get(thread.thread_id)).metadata).toMatchObject({ mounted: true });
    const values = (await client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } })) as {
      value: string[];
    };
    expect(values).toEqual({ value: ["first", "second"] });

    let created: { run_id: string; thread_id?: string } | undefined;
    const events: string[] = [];
    for await (const chunk of client.runs.stream(thread.thread_id, "two_node", {
      input: { value: [] },
      onRunCreated: (meta) => {
        created = meta;
      },
    })) {
      events.push(chunk.event);
    }
    expect(events[0]).toBe("metadata");
    expect(events.at(-1)).toBe("values");
    expect(created?.thread_id).toBe(thread.thread_id);
    const runs = await client.runs.list(thread.thread_id);
    expect(runs.map((r) => r.run_id)).toContain(created?.run_id);
  });

  it("Content-Location of a streamed or waited run carries the prefix", async () => {
    const origin = api.url.slice(0, -"/api".length);
    const thread = await http(origin, "POST", "/api/threads", {});
    const threadId = thread.json.thread_id;

    const res = await fetch(`${api.url}/threads/${threadId}/runs/stream`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ assistant_id: "two_node", input: { value: [] } }),
    });
    expect(res.status).toBe(200);
    const location = res.headers.get("content-location") ?? "";
    await res.text(); // drain the stream to its end
    expect(location.startsWith(`/api/threads/${threadId}/runs/`)).toBe(true);
    const runId = location.split("/").at(-1)!;
    const run = await http(origin, "GET", location);
    expect(run.status).toBe(200);
    expect(run.json.run_id).toBe(runId);

    const waited = await http(origin, "POST", `/api/threads/${threadId}/runs/wait`, {
      assistant_id: "two_node",
      input: { value: [] },
    });
    expect(waited.status).toBe(200);
    expect(waited.headers.get("content-location")).toMatch(new RegExp(`^/api/threads/${threadId}/runs/[0-9a-f-]{36}$`));
  });
});

describe("CORS", () => {
  it("a request with Origin may read the body and Content-Location", async () => {
    const res = await http(t.url, "GET", "/ok", undefined, { Origin: "http://app.example" });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const exposed = (res.headers.get("access-control-expose-headers") ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase());
    expect(exposed).toContain("content-location");
    expect(exposed).toContain("x-pagination-total");
  });

  it("errors carry the CORS headers too, so a browser can read them", async () => {
    const res = await http(t.url, "GET", `/threads/${MISSING}`, undefined, { Origin: "http://app.example" });
    expect(res.status).toBe(404);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("a request without Origin is not a CORS request: no CORS headers, but Vary: Origin for caches", async () => {
    const res = await http(t.url, "GET", "/ok");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-expose-headers")).toBeNull();
    expect(res.headers.get("vary")).toBe("Origin");
  });

  it("with a list of origins, only those origins are allowed", async () => {
    const listed = await startTestServer({ corsOrigins: ["http://app.example"] });
    try {
      const allowed = await http(listed.url, "GET", "/ok", undefined, { Origin: "http://app.example" });
      expect(allowed.headers.get("access-control-allow-origin")).toBe("http://app.example");
      expect(allowed.headers.get("vary")).toBe("Origin");
      const other = await http(listed.url, "GET", "/ok", undefined, { Origin: "http://evil.example" });
      expect(other.status).toBe(200);
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
      expect(other.headers.get("vary")).toBe("Origin");
    } finally {
      await listed.close();
    }
  });

  it("a preflight for POST with last-event-id and content-type is allowed", async () => {
    const res = await fetch(`${t.url}/threads/${MISSING}/runs/stream`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://app.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "last-event-id,content-type",
      },
    });
    await res.text();
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const methods = (res.headers.get("access-control-allow-methods") ?? "")
      .split(",")
      .map((s) => s.trim().toUpperCase());
    expect(methods).toContain("POST");
    const allowed = (res.headers.get("access-control-allow-headers") ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase());
    expect(allowed).toContain("last-event-id");
    expect(allowed).toContain("content-type");
  });
});
