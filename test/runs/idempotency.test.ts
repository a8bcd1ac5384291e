/**
 * `Idempotency-Key` on the run-creating operations, through real HTTP and the official SDK (its
 * `defaultHeaders` send the key): a retry gets the first attempt's run(s) back, the same way; another
 * body is a 422 naming the header; keys are each user's own and expire; and of many requests sent at
 * once with one key, one makes the run.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { loadConfig } from "../../src/config.ts";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { http as post, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const AUTH_GRAPHS = fileURLToPath(new URL("../auth/fixtures/langgraph.json", import.meta.url));
const hello = { messages: [{ role: "user", content: "hello there" }] };

/** An SDK client that sends `key` with every request, and retries nothing on its own. */
const keyed = (t: TestServer, key: string, headers: Record<string, string> = {}) =>
  new Client({
    apiUrl: t.url,
    defaultHeaders: { "Idempotency-Key": key, ...headers },
    callerOptions: { maxRetries: 0 },
  });

/**
 * Threads stored, of everyone: each stateless run kept (`on_completion: keep`) has one of its own, so this
 * counts the runs a request made, also any a losing request wrote and rolled back. Any backend.
 */
const storedThreads = (t: TestServer) => t.server.services.stores.threads.count({});

type Chunk = { event: string; data: unknown; id?: string };
async function collect(stream: AsyncIterable<unknown>): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const chunk of stream) out.push(chunk as Chunk);
  return out;
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

describe("Idempotency-Key on the runs of a thread", () => {
  it("createRun twice with one key: one run, the same Run and Content-Location", async () => {
    const thread = await t.client.threads.create();
    const key = randomUUID();
    const c = keyed(t, key);
    const first = await c.runs.create(thread.thread_id, "echo", { input: hello });
    const again = await c.runs.create(thread.thread_id, "echo", { input: hello });
    expect(again.run_id).toBe(first.run_id);
    const raw = await post(
      t.url,
      "POST",
      `/threads/${thread.thread_id}/runs`,
      { assistant_id: "echo", input: hello },
      {
        "Idempotency-Key": key,
      },
    );
    expect(raw.status).toBe(200);
    expect(raw.json.run_id).toBe(first.run_id);
    expect(raw.headers.get("content-location")).toBe(`/threads/${thread.thread_id}/runs/${first.run_id}`);
    await t.client.runs.join(thread.thread_id, first.run_id);
    expect(await t.client.runs.list(thread.thread_id)).toHaveLength(1);
    // Key order in the body is not another body.
    const reordered = await post(
      t.url,
      "POST",
      `/threads/${thread.thread_id}/runs`,
      { input: hello, assistant_id: "echo" },
      {
        "Idempotency-Key": key,
      },
    );
    expect(reordered.json.run_id).toBe(first.run_id);
  });

  it("a retry of runs/stream gets the first run's stream from its first event, the same events", async () => {
    const thread = await t.client.threads.create();
    const c = keyed(t, randomUUID());
    const body = { input: { value: [] }, streamMode: ["values", "updates"] as ("values" | "updates")[] };
    const first = await collect(c.runs.stream(thread.thread_id, "two_node", body));
    const again = await collect(c.runs.stream(thread.thread_id, "two_node", body));
    expect(first[0].event).toBe("metadata");
    expect(again).toEqual(first);
    expect(await t.client.runs.list(thread.thread_id)).toHaveLength(1);
  });

  it("a stream cut off mid-run and sent again picks up the same run, from its first event", async () => {
    const thread = await t.client.threads.create();
    const c = keyed(t, randomUUID());
    const opts = { input: {}, config: { configurable: { total_steps: 4, step_ms: 150 } } };
    let runId: string | undefined;
    // The client goes away after the first event (a dropped connection); the run goes on.
    for await (const chunk of c.runs.stream(thread.thread_id, "slow", opts)) {
      runId = (chunk.data as { run_id: string }).run_id;
      break;
    }
    const again = await collect(c.runs.stream(thread.thread_id, "slow", opts));
    expect(again[0]).toMatchObject({ event: "metadata", data: { run_id: runId }, id: "0" });
    expect(again.map((chunk) => chunk.id)).toEqual(again.map((_, i) => String(i)));
    expect((again.at(-1)!.data as { steps: string[] }).steps).toHaveLength(4);
    expect(await t.client.runs.list(thread.thread_id)).toHaveLength(1);
  });

  it("runs/wait twice: the same values, one run", async () => {
    const thread = await t.client.threads.create();
    const c = keyed(t, randomUUID());
    const first = await c.runs.wait(thread.thread_id, "echo", { input: hello });
    const again = await c.runs.wait(thread.thread_id, "echo", { input: hello });
    expect(again).toEqual(first);
    expect((first as { messages: unknown[] }).messages).toHaveLength(2);
    expect(await t.client.runs.list(thread.thread_id)).toHaveLength(1);
  });

  it("the same key with another body, or on another thread, is a 422 naming the header", async () => {
    const [thread, other] = [await t.client.threads.create(), await t.client.threads.create()];
    const key = randomUUID();
    const send = (threadId: string, body: unknown) =>
      post(t.url, "POST", `/threads/${threadId}/runs`, body, { "Idempotency-Key": key });
    expect((await send(thread.thread_id, { assistant_id: "echo", input: hello })).status).toBe(200);
    for (const [threadId, body] of [
      [thread.thread_id, { assistant_id: "echo", input: { messages: [{ role: "user", content: "else" }] } }],
      [other.thread_id, { assistant_id: "echo", input: hello }],
    ] as const) {
      const res = await send(threadId, body);
      expect(res.status).toBe(422);
      expect(res.json.detail[0].loc).toEqual(["header", "idempotency-key"]);
    }
    expect(await t.client.runs.list(other.thread_id)).toHaveLength(0);
  });

  it("a refused request stores no key: sent again once the thread is free, it makes the run", async () => {
    const thread = await t.client.threads.create();
    // The thread stays busy until the gate's file exists: no timing involved.
    const gate = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-idem-")), "open");
    const busy = await t.client.runs.create(thread.thread_id, "gate", {
      input: {},
      config: { configurable: { gate_file: gate } },
    });
    const key = randomUUID();
    const body = { assistant_id: "echo", input: hello };
    const refused = await post(t.url, "POST", `/threads/${thread.thread_id}/runs`, body, { "Idempotency-Key": key });
    expect(refused.status).toBe(409);
    // What refused it: the gate's run, still in flight.
    expect(["pending", "running"]).toContain((await t.client.runs.get(thread.thread_id, busy.run_id)).status);
    fs.writeFileSync(gate, "");
    await t.client.runs.join(thread.thread_id, busy.run_id);
    fs.rmSync(path.dirname(gate), { recursive: true, force: true });
    const made = await post(t.url, "POST", `/threads/${thread.thread_id}/runs`, body, { "Idempotency-Key": key });
    expect(made.status).toBe(200);
    expect(made.json.run_id).not.toBe(busy.run_id);
  });

  it("a key longer than 255 characters is refused by the contract", async () => {
    const thread = await t.client.threads.create();
    const res = await post(
      t.url,
      "POST",
      `/threads/${thread.thread_id}/runs`,
      { assistant_id: "echo" },
      {
        "Idempotency-Key": "k".repeat(256),
      },
    );
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.json.detail)).toContain("idempotency-key");
  });

  it("50 identical POSTs at once with one key make one run (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      const thread = await t.client.threads.create();
      const key = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          post(
            t.url,
            "POST",
            `/threads/${thread.thread_id}/runs`,
            { assistant_id: "echo", input: hello },
            {
              "Idempotency-Key": key,
            },
          ),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect(new Set(answers.map((a) => a.json.run_id)).size).toBe(1);
      expect(await t.client.runs.list(thread.thread_id)).toHaveLength(1);
    }
  });
});

describe("Idempotency-Key on stateless runs and batches", () => {
  it("runs/wait twice on a kept thread: the same values, one run; once its run is deleted, 409", async () => {
    // The SDK sends no on_completion for a run without a thread: raw HTTP keeps the thread.
    const keepKey = randomUUID();
    const keep = { assistant_id: "echo", input: hello, on_completion: "keep" };
    const before = await storedThreads(t);
    const first = await post(t.url, "POST", "/runs/wait", keep, { "Idempotency-Key": keepKey });
    const again = await post(t.url, "POST", "/runs/wait", keep, { "Idempotency-Key": keepKey });
    expect(first.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("content-location")).toBe(first.headers.get("content-location"));
    expect((first.json as { messages: unknown[] }).messages).toHaveLength(2);
    expect(await storedThreads(t)).toBe(before + 1);

    // With `on_completion: delete` (the default) the run goes with its thread: nothing to answer a late retry with.
    const key = randomUUID();
    const made = await post(
      t.url,
      "POST",
      "/runs/wait",
      { assistant_id: "echo", input: hello },
      { "Idempotency-Key": key },
    );
    expect(made.status).toBe(200);
    const runId = made.headers.get("content-location")!.split("/").at(-1)!;
    await waitFor(async () => (await post(t.url, "GET", `/runs/${runId}/stream`)).status === 404);
    const late = await post(
      t.url,
      "POST",
      "/runs/wait",
      { assistant_id: "echo", input: hello },
      { "Idempotency-Key": key },
    );
    expect(late.status).toBe(409);
    expect(late.json.detail).toContain("Idempotency-Key");
  });

  it("runs/stream sent again attaches to the same run's stream", async () => {
    const c = keyed(t, randomUUID());
    const opts = { input: { value: [] }, onCompletion: "keep" as const };
    const first = await collect(c.runs.stream(null, "two_node", opts));
    const again = await collect(c.runs.stream(null, "two_node", opts));
    expect(again).toEqual(first);
    expect(first[0]).toMatchObject({ event: "metadata" });
  });

  it("POST /runs and /runs/batch sent again answer the same runs", async () => {
    const key = randomUUID();
    const body = { assistant_id: "echo", input: hello, on_completion: "keep" };
    const one = await post(t.url, "POST", "/runs", body, { "Idempotency-Key": key });
    const two = await post(t.url, "POST", "/runs", body, { "Idempotency-Key": key });
    expect(two.json.run_id).toBe(one.json.run_id);
    expect(two.headers.get("content-location")).toBe(`/runs/${one.json.run_id}`);

    const batchKey = randomUUID();
    const batch = [body, { ...body, input: { messages: [{ role: "user", content: "second" }] } }];
    const first = await post(t.url, "POST", "/runs/batch", batch, { "Idempotency-Key": batchKey });
    const again = await post(t.url, "POST", "/runs/batch", batch, { "Idempotency-Key": batchKey });
    expect(first.status).toBe(200);
    expect(again.json.map((r: { run_id: string }) => r.run_id)).toEqual(
      first.json.map((r: { run_id: string }) => r.run_id),
    );
    const other = await post(t.url, "POST", "/runs/batch", [body], { "Idempotency-Key": batchKey });
    expect(other.status).toBe(422);
    expect(other.json.detail[0].loc).toEqual(["header", "idempotency-key"]);
  });

  it("50 identical stateless POSTs at once with one key make one run (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      const key = randomUUID();
      const before = await storedThreads(t);
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          post(
            t.url,
            "POST",
            "/runs",
            { assistant_id: "echo", input: hello, on_completion: "keep" },
            {
              "Idempotency-Key": key,
            },
          ),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect(new Set(answers.map((a) => a.json.run_id)).size).toBe(1);
      expect(await storedThreads(t)).toBe(before + 1);
    }
  });
});

describe("Idempotency-Key: racing requests that all pass the first lookup", () => {
  // A webhook on a name is resolved (DNS, off the event loop) between a request's first look for its key
  // and its admission: requests sent at once all look before any admits, and the admission's own
  // transaction is what leaves one run.
  let tw: TestServer;
  let hooks: http.Server;
  let hookUrl: string;
  beforeAll(async () => {
    hooks = http.createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://localhost:${(hooks.address() as AddressInfo).port}/hook`;
    tw = await startTestServer({ webhookAllowedHosts: ["127.0.0.1", "::1"], webhookRetries: 0 });
  });
  afterAll(async () => {
    await tw?.close();
    await new Promise((resolve) => hooks?.close(resolve));
  });

  it("50 stateless POSTs and 50 batches at once, each with one key, make one run and one batch (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      const body = { assistant_id: "echo", input: hello, on_completion: "keep", webhook: hookUrl };
      const [key, batchKey] = [randomUUID(), randomUUID()];
      const before = await storedThreads(tw);
      const send = (route: string, payload: unknown, k: string) =>
        post(tw.url, "POST", route, payload, { "Idempotency-Key": k });
      const answers = await Promise.all([
        ...Array.from({ length: 50 }, () => send("/runs", body, key)),
        ...Array.from({ length: 50 }, () => send("/runs/batch", [body, body], batchKey)),
      ]);
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      const singles = answers.slice(0, 50).map((a) => a.json.run_id);
      const batches = answers.slice(50).map((a) => a.json.map((r: { run_id: string }) => r.run_id).join());
      expect(new Set(singles).size).toBe(1);
      expect(new Set(batches).size).toBe(1);
      expect(await storedThreads(tw)).toBe(before + 3);
    }
  });
});

describe("Idempotency-Key: whose it is, and for how long", () => {
  it("another user's same key makes that user's own run (api-keys)", async () => {
    const ta = await startTestServer({ graphsConfigPath: AUTH_GRAPHS, authMode: "api-keys" });
    try {
      const alice = (await mintApiKey(ta.server.services.stores.apiKeys, { user: "alice" })).key;
      const bob = (await mintApiKey(ta.server.services.stores.apiKeys, { user: "bob" })).key;
      const key = randomUUID();
      const body = { assistant_id: "whoami", input: {}, on_completion: "keep" };
      const send = (apiKey: string) =>
        post(ta.url, "POST", "/runs", body, { "Idempotency-Key": key, "x-api-key": apiKey });
      const a1 = await send(alice);
      const b1 = await send(bob);
      const [a2, b2] = [await send(alice), await send(bob)];
      expect([a1.status, b1.status, a2.status, b2.status]).toEqual([200, 200, 200, 200]);
      expect(b1.json.run_id).not.toBe(a1.json.run_id);
      expect(a2.json.run_id).toBe(a1.json.run_id);
      expect(b2.json.run_id).toBe(b1.json.run_id);
      // Through the SDK too: bob's retry of a wait is bob's run.
      const values = await keyed(ta, randomUUID(), { "x-api-key": bob }).runs.wait(null, "whoami", { input: {} });
      expect(values).toMatchObject({ user_id: "bob" });
    } finally {
      await ta.close();
    }
  });

  it("THREADGATE_IDEMPOTENCY_TTL_SECONDS: 24 h by default, whole seconds from 1 to a year", () => {
    expect(loadConfig({}).idempotencyTtlSeconds).toBe(86_400);
    expect(loadConfig({ THREADGATE_IDEMPOTENCY_TTL_SECONDS: "60" }).idempotencyTtlSeconds).toBe(60);
    for (const bad of ["0", "-1", "1.5", "soon", "31622401"])
      expect(() => loadConfig({ THREADGATE_IDEMPOTENCY_TTL_SECONDS: bad })).toThrow(
        /THREADGATE_IDEMPOTENCY_TTL_SECONDS/,
      );
  });

  it("an expired key is free again: the request makes a new run", async () => {
    const short = await startTestServer({ idempotencyTtlSeconds: 1 });
    try {
      const thread = await short.client.threads.create();
      const key = randomUUID();
      const c = keyed(short, key);
      const first = await c.runs.create(thread.thread_id, "echo", { input: hello });
      await c.runs.join(thread.thread_id, first.run_id);
      // The key counts as absent once its second is over: wait for that, not for a guess at it.
      await waitFor(async () => (await short.server.services.stores.lifecycle.findKey("", key)) === null);
      const later = await c.runs.create(thread.thread_id, "echo", { input: hello });
      expect(later.run_id).not.toBe(first.run_id);
      expect(await short.client.runs.list(thread.thread_id)).toHaveLength(2);
      // The new admission took the key over: a retry now answers the new run.
      expect((await c.runs.create(thread.thread_id, "echo", { input: hello })).run_id).toBe(later.run_id);
    } finally {
      await short.close();
    }
  });
});
