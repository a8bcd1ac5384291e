/**
 * The door's limits on what a request may carry: JSON nesting depth (one limit for every body,
 * THREADGATE_MAX_JSON_DEPTH), numbers the spec bounds (no huge or infinite number reaches SQLite or a
 * timer), and the number of validation issues one 422 lists. Each refusal is a 422 naming the field,
 * and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

/** `levels` nested objects `{"a":{"a":…}}` as JSON text, innermost holding `leaf`. */
function nested(levels: number, leaf = "1"): string {
  return `${'{"a":'.repeat(levels)}${leaf}${"}".repeat(levels)}`;
}

/** How many threads the store holds (the search's X-Pagination-Total). */
async function threadCount(): Promise<number> {
  const res = await http(t.url, "POST", "/threads/search", { limit: 1 });
  return Number(res.headers.get("x-pagination-total"));
}

const locs = (res: { json: any }) => res.json.detail.map((d: { loc: unknown[] }) => d.loc);

describe("JSON nesting depth", () => {
  it("10,000 levels in metadata are a 422 naming body.metadata, not a 500, and no thread is made", async () => {
    const before = await threadCount();
    const res = await http(t.url, "POST", "/threads", `{"metadata":${nested(10_000)}}`);
    expect(res.status).toBe(422);
    expect(res.json.detail).toHaveLength(1);
    const [issue] = res.json.detail;
    expect(issue.loc.slice(0, 2)).toEqual(["body", "metadata"]);
    expect(issue.type).toBe("json_too_deep");
    expect(issue.msg).toMatch(/50 levels/);
    expect(issue.msg).toMatch(/THREADGATE_MAX_JSON_DEPTH/);
    expect(await threadCount()).toBe(before);
  });

  it("the limit is exact: a body 50 levels deep is accepted, 51 levels are refused", async () => {
    // The body object is level 1, so metadata holding 49 nested objects makes 50 levels.
    const ok = await http(t.url, "POST", "/threads", `{"metadata":${nested(49)}}`);
    expect(ok.status).toBe(200);
    const refused = await http(t.url, "POST", "/threads", `{"metadata":${nested(50)}}`);
    expect(refused.status).toBe(422);
    expect(refused.json.detail[0].type).toBe("json_too_deep");
    expect(refused.json.detail[0].loc.slice(0, 2)).toEqual(["body", "metadata"]);
  });

  it("arrays count as levels too, and 2,000,000 of them (4 MB) answer 422 without being parsed", async () => {
    const before = await threadCount();
    const levels = 2_000_000;
    const res = await http(t.url, "POST", "/threads", `{"metadata":{"x":${"[".repeat(levels)}${"]".repeat(levels)}}}`);
    expect(res.status).toBe(422);
    expect(res.json.detail[0].type).toBe("json_too_deep");
    expect(res.json.detail[0].loc.slice(0, 3)).toEqual(["body", "metadata", "x"]);
    expect(await threadCount()).toBe(before);
  });

  it("brackets inside strings are not nesting", async () => {
    const text = `[{"\\"[${"[".repeat(500)}`;
    const res = await http(t.url, "POST", "/threads", { metadata: { text, [text]: "{".repeat(500) } });
    expect(res.status).toBe(200);
    expect(res.json.metadata.text).toBe(text);
  });

  it("a message nested past what LangChain can load back is refused, so the thread's state stays readable", async () => {
    // LangChain revives a checkpointed message only to 50 levels; one deeper is stored but its
    // thread's state can never be read again. Within the limit a message runs and reads back.
    const message = (levels: number) =>
      `{"assistant_id":"echo","input":{"messages":[{"role":"user","content":"hi","additional_kwargs":${nested(levels)}}]}}`;
    const thread = await t.client.threads.create();
    const refused = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/wait`, message(50));
    expect(refused.status).toBe(422);
    expect(refused.json.detail[0].loc.slice(0, 4)).toEqual(["body", "input", "messages", 0]);
    expect((await http(t.url, "GET", `/threads/${thread.thread_id}/state`)).status).toBe(200);

    const deepest = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/wait`, message(46));
    expect(deepest.status).toBe(200);
    const state = await http(t.url, "GET", `/threads/${thread.thread_id}/state`);
    expect(state.status).toBe(200);
    expect(state.json.values.messages[0].additional_kwargs).toEqual(JSON.parse(nested(46)));
  });

  it("deep run input is refused before a run exists; a batch names the element", async () => {
    const thread = await t.client.threads.create();
    const deepInput = `{"assistant_id":"echo","input":${nested(5_000)}}`;
    for (const route of ["runs", "runs/wait", "runs/stream"]) {
      const res = await http(t.url, "POST", `/threads/${thread.thread_id}/${route}`, deepInput);
      expect(res.status, route).toBe(422);
      expect(res.json.detail[0].loc.slice(0, 3), route).toEqual(["body", "input", "a"]);
    }
    const batch = await http(t.url, "POST", "/runs/batch", `[{"assistant_id":"echo"},${deepInput}]`);
    expect(batch.status).toBe(422);
    expect(batch.json.detail[0].loc.slice(0, 3)).toEqual(["body", 1, "input"]);
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
    expect((await t.client.threads.get(thread.thread_id)).status).toBe("idle");
  });

  it("THREADGATE_MAX_JSON_DEPTH sets the one limit", async () => {
    const strict = await startTestServer({ maxJsonDepth: 3 });
    try {
      const ok = await http(strict.url, "POST", "/threads", { metadata: { a: { b: 1 } } });
      expect(ok.status).toBe(200);
      const refused = await http(strict.url, "POST", "/threads", { metadata: { a: { b: [1] } } });
      expect(refused.status).toBe(422);
      expect(refused.json.detail).toEqual([
        {
          loc: ["body", "metadata", "a", "b"],
          msg: "JSON nested deeper than 3 levels (the limit is THREADGATE_MAX_JSON_DEPTH)",
          type: "json_too_deep",
        },
      ]);
    } finally {
      await strict.close();
    }
    expect(loadConfig({}).maxJsonDepth).toBe(50);
    expect(loadConfig({ THREADGATE_MAX_JSON_DEPTH: "250" }).maxJsonDepth).toBe(250);
    for (const bad of ["0", "abc", "1.5", "5000"])
      expect(() => loadConfig({ THREADGATE_MAX_JSON_DEPTH: bad }), bad).toThrow(/THREADGATE_MAX_JSON_DEPTH/);
  });
});

describe("numbers are bounded by the spec", () => {
  let threadId: string;
  let runId: string;
  beforeAll(async () => {
    const thread = await t.client.threads.create();
    threadId = thread.thread_id;
    await t.client.runs.wait(threadId, "echo", { input: { messages: [{ role: "user", content: "hi" }] } });
    runId = (await t.client.runs.list(threadId))[0].run_id;
  });

  const queryCases: [route: (th: string, run: string) => string, field: string][] = [
    [(th) => `/threads/${th}/runs?offset=99999999999999999999999`, "offset"],
    [(th) => `/threads/${th}/runs?offset=Infinity`, "offset"],
    [(th) => `/threads/${th}/runs?offset=1e400`, "offset"],
    [(th) => `/threads/${th}/runs?offset=-1e20`, "offset"],
    [(th) => `/threads/${th}/runs?limit=Infinity`, "limit"],
    [(th) => `/threads/${th}/messages?after_seq=1e30`, "after_seq"],
    [(th) => `/threads/${th}/messages?before_seq=Infinity`, "before_seq"],
    [(th, run) => `/threads/${th}/runs/${run}/messages?after_seq=99999999999999999999`, "after_seq"],
    [(th, run) => `/threads/${th}/runs/${run}/events?after_seq=1e30`, "after_seq"],
    [(th) => `/threads/${th}/history?limit=Infinity`, "limit"],
  ];

  it("huge, infinite and negative query numbers are 422 naming the parameter, never a 500", async () => {
    for (const [route, field] of queryCases) {
      const path = route(threadId, runId);
      const res = await http(t.url, "GET", path);
      expect(res.status, path).toBe(422);
      expect(locs(res), path).toEqual([["query", field]]);
    }
  });

  it("NaN in a query string is not a number", async () => {
    const res = await http(t.url, "GET", `/threads/${threadId}/runs?offset=NaN`);
    expect(res.status).toBe(422);
    expect(locs(res)).toEqual([["query", "offset"]]);
  });

  it("huge and infinite (1e400) body numbers are 422 naming the field", async () => {
    const cases: [route: string, body: string, loc: (string | number)[]][] = [
      ["/threads/search", '{"offset":1e20}', ["body", "offset"]],
      ["/threads/search", '{"offset":1e400}', ["body", "offset"]],
      ["/threads/search", '{"limit":1e400}', ["body", "limit"]],
      ["/assistants/search", '{"offset":1e20}', ["body", "offset"]],
      [`/threads/${threadId}/history`, '{"limit":1e400}', ["body", "limit"]],
    ];
    for (const [route, body, loc] of cases) {
      const res = await http(t.url, "POST", route, body);
      expect(res.status, `${route} ${body}`).toBe(422);
      expect(locs(res), `${route} ${body}`).toEqual([loc]);
    }
  });

  it("run options with huge or infinite numbers are 422 and start nothing", async () => {
    const thread = await t.client.threads.create();
    const threadsBefore = await threadCount(); // a stateless run would make one
    const cases: [fields: string, loc: string[]][] = [
      ['"after_seconds":1e300', ["body", "after_seconds"]],
      ['"after_seconds":1e400', ["body", "after_seconds"]],
      ['"config":{"recursion_limit":1e400}', ["body", "config", "recursion_limit"]],
      ['"config":{"recursion_limit":1e20}', ["body", "config", "recursion_limit"]],
      ['"config":{"max_concurrency":1e20}', ["body", "config", "max_concurrency"]],
    ];
    for (const [fields, loc] of cases) {
      for (const route of [`/threads/${thread.thread_id}/runs`, "/runs"]) {
        const res = await http(t.url, "POST", route, `{"assistant_id":"echo",${fields}}`);
        expect(res.status, `${route} ${fields}`).toBe(422);
        expect(locs(res), `${route} ${fields}`).toEqual([loc]);
      }
    }
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
    expect(await threadCount()).toBe(threadsBefore);
  });

  it("long delays are allowed: after_seconds up to ten years (315,360,000 s)", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "echo", { input: {}, afterSeconds: 315_360_000 });
    expect(run.status).toBe("pending");
    await t.client.runs.cancel(thread.thread_id, run.run_id, true);
    const over = await http(t.url, "POST", `/threads/${thread.thread_id}/runs`, {
      assistant_id: "echo",
      after_seconds: 315_360_001,
    });
    expect(over.status).toBe(422);
    expect(locs(over)).toEqual([["body", "after_seconds"]]);
  });
});

describe("the number of listed validation issues is capped", () => {
  it("100,000 bad ids get the first 100 issues and a count of the rest, not a 6.6 MB answer", async () => {
    const res = await http(t.url, "POST", "/threads/search", { ids: Array.from({ length: 100_000 }, () => 5) });
    expect(res.status).toBe(422);
    expect(res.json.detail).toHaveLength(101);
    res.json.detail.slice(0, 100).forEach((d: { loc: unknown[]; type: string }, i: number) => {
      expect(d.loc).toEqual(["body", "ids", i]);
      expect(d.type).toBe("type");
    });
    expect(res.json.detail[100]).toEqual({
      loc: ["body", "ids"],
      msg: "99900 more issues not listed",
      type: "too_many_errors",
    });
    expect(res.text.length).toBeLessThan(20_000);
  });

  it("a 3,000-element bad batch is capped too (its issues span many fields)", async () => {
    const element = { assistant_id: 1, checkpoint: 5, config: 5, multitask_strategy: 5, stream_mode: 5 };
    const res = await http(
      t.url,
      "POST",
      "/runs/batch",
      Array.from({ length: 3_000 }, () => element),
    );
    expect(res.status).toBe(422);
    expect(res.json.detail).toHaveLength(101);
    expect(res.json.detail[0]).toMatchObject({ loc: ["body"], type: "maxItems" });
    expect(res.json.detail[1].loc).toEqual(["body", 0, "assistant_id"]);
    const last = res.json.detail[100];
    expect(last.type).toBe("too_many_errors");
    expect(last.loc).toEqual(["body"]);
    expect(last.msg).toMatch(/^\d+ more issues not listed$/);
    expect(Number(last.msg.split(" ")[0])).toBeGreaterThan(10_000);
  });

  it("a failing body over 1 MiB lists its first issue: 2,500,000 bad ids (5 MB) are a small 422, not a 500", async () => {
    const body = `{"ids":[${Array.from({ length: 2_500_000 }, () => "5").join(",")}]}`;
    const res = await http(t.url, "POST", "/threads/search", body);
    expect(res.status).toBe(422);
    expect(res.json.detail).toEqual([
      { loc: ["body", "ids", 0], msg: "must be string", type: "type" },
      {
        loc: ["body"],
        msg: "further issues not listed: a body over 1 MiB is checked only up to its first issue",
        type: "too_many_errors",
      },
    ]);
    // Under the size, the same mistake is listed in full (capped).
    const small = await http(t.url, "POST", "/threads/search", { ids: Array.from({ length: 1_000 }, () => 5) });
    expect(small.json.detail).toHaveLength(101);
    expect(small.json.detail[100].msg).toBe("900 more issues not listed");
  });

  it("100 issues or fewer are all listed, with no count entry", async () => {
    const res = await http(t.url, "POST", "/threads/search", { ids: Array.from({ length: 100 }, () => 5) });
    expect(res.status).toBe(422);
    expect(res.json.detail).toHaveLength(100);
    expect(res.json.detail.map((d: { type: string }) => d.type)).not.toContain("too_many_errors");
  });
});

describe("keys that would become prototypes", () => {
  it("__proto__ anywhere in a body is a 422 naming it, and nothing is written", async () => {
    const before = await threadCount();
    const res = await http(t.url, "POST", "/threads", `{"metadata":{"a":[1,{"__proto__":{"polluted":true}}]}}`);
    expect(res.status).toBe(422);
    expect(locs(res)).toEqual([["body", "metadata", "a", 1, "__proto__"]]);
    expect(res.json.detail[0].type).toBe("forbidden_key");
    expect(await threadCount()).toBe(before);
  });

  it("so is a JSON-escaped __proto__, and constructor.prototype in a run's command", async () => {
    const escaped = await http(t.url, "POST", "/threads", `{"metadata":{"\\u005f_proto__":{}}}`);
    expect(escaped.status).toBe(422);
    expect(locs(escaped)).toEqual([["body", "metadata", "__proto__"]]);
    const thread = await t.client.threads.create();
    const run = await http(t.url, "POST", `/threads/${thread.thread_id}/runs`, {
      assistant_id: "echo",
      command: { update: { constructor: { prototype: { polluted: true } } } },
    });
    expect(run.status).toBe(422);
    expect(locs(run)).toEqual([["body", "command", "update", "constructor", "prototype"]]);
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
  });

  it("a key merely called constructor, or text mentioning __proto__, is data like any other", async () => {
    const res = await http(t.url, "POST", "/threads", {
      metadata: { constructor: "x", note: "__proto__ is fine in a value", nested: { constructor: { a: 1 } } },
    });
    expect(res.status).toBe(200);
    expect(res.json.metadata.nested).toEqual({ constructor: { a: 1 } });
  });
});
