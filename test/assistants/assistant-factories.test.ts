/**
 * Graph factories that refuse a config, through the SDK Client. A langgraph.json graph may be a
 * factory `(config) => graph` (fixtures/factories/picky.ts accepts `model` "fast" or "careful" only),
 * built with the assistant's config for introspection and with the run's merged config for a run and
 * the thread's for its state. What the factory throws is the graph's answer to that config: a 422
 * naming it, never a 5xx (which the SDK retries), and a run of it ends as an error saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { Client } from "@langchain/langgraph-sdk";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { failure } from "../helpers/sdk.ts";

const GRAPHS = fileURLToPath(new URL("./fixtures/factories/langgraph.json", import.meta.url));
const REFUSED = "picky: unknown model gpt-9, expected one of fast, careful";

describe("graph factories that refuse a config", () => {
  let t: TestServer;
  let c: Client;
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: GRAPHS });
    c = t.client;
  });
  afterAll(async () => {
    await t?.close();
  });

  const withModel = (model: string, name = model) =>
    c.assistants.create({ graphId: "picky", name, config: { configurable: { model } } });

  it("a stored assistant whose config it refuses: graph, schemas and subgraphs answer 422 naming why", async () => {
    const bad = await withModel("gpt-9");
    for (const call of [
      () => c.assistants.getGraph(bad.assistant_id),
      () => c.assistants.getGraph(bad.assistant_id, { xray: true }),
      () => c.assistants.getSchemas(bad.assistant_id),
      () => c.assistants.getSubgraphs(bad.assistant_id, { recurse: true }),
      () => c.assistants.getSubgraphs(bad.assistant_id, { namespace: "child" }),
    ]) {
      await expect(call()).rejects.toMatchObject({ status: 422, message: expect.stringContaining(REFUSED) });
    }
    const res = await http(t.url, "GET", `/assistants/${bad.assistant_id}/graph`);
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain('graph "picky"');
    // The system assistant has no model: the factory refuses it too.
    expect(await failure(c.assistants.getSchemas("picky"))).toMatch(/422.*unknown model \(none\)/);
  });

  it("a 422 is not retried: an SDK client with its default retries sends the request once", async () => {
    const bad = await withModel("gpt-9", "once");
    let requests = 0;
    const counting = new Client({
      apiUrl: t.url,
      callerOptions: {
        fetch: (...args: Parameters<typeof fetch>) => {
          requests++;
          return fetch(...args);
        },
      },
    });
    await expect(counting.assistants.getGraph(bad.assistant_id)).rejects.toMatchObject({ status: 422 });
    expect(requests).toBe(1);
  });

  it("an assistant whose config it accepts is drawn and described with that config", async () => {
    const good = await withModel("fast");
    const drawn = await c.assistants.getGraph(good.assistant_id);
    expect(drawn.nodes.map((n) => n.id)).toEqual(["__start__", "answer", "__end__"]);
    const schemas = await c.assistants.getSchemas(good.assistant_id);
    expect(schemas).toMatchObject({ graph_id: "picky", state_schema: { properties: { answers: { type: "array" } } } });
    expect(await c.assistants.getSubgraphs(good.assistant_id)).toEqual({});
  });

  it("runs with that config: admitted, then ended as an error naming the factory's complaint, never a 5xx", async () => {
    const bad = await withModel("gpt-9", "runs");
    const th = await c.threads.create();
    // runs.wait throws the run's `__error__`; the answer itself is a 200.
    expect(await failure(c.runs.wait(th.thread_id, bad.assistant_id, { input: {} }))).toContain(REFUSED);
    const raw = await http(t.url, "POST", `/threads/${th.thread_id}/runs/wait`, {
      assistant_id: bad.assistant_id,
      input: {},
    });
    expect(raw.status).toBe(200);
    expect(raw.json.__error__.message).toContain(REFUSED);

    const events = [];
    for await (const e of c.runs.stream(th.thread_id, bad.assistant_id, { input: {} })) events.push(e);
    expect(events.map((e) => e.event)).toEqual(["metadata", "error"]);
    expect(events[1].data).toEqual({ error: "GraphBuildError", message: expect.stringContaining(REFUSED) });

    const runs = await c.runs.list(th.thread_id);
    expect(runs.map((r) => r.status)).toEqual(["error", "error", "error"]);
    expect(await c.threads.get(th.thread_id)).toMatchObject({ status: "error", values: null });

    const stateless = await http(t.url, "POST", "/runs/wait", { assistant_id: bad.assistant_id, input: {} });
    expect(stateless.status).toBe(200);
    expect(stateless.json.__error__.message).toContain(REFUSED);
  });

  it("an assistant it accepts runs, though the factory refuses the empty config", async () => {
    const good = await withModel("careful");
    const th = await c.threads.create();
    expect(await c.runs.wait(th.thread_id, good.assistant_id, { input: {} })).toEqual({ answers: ["careful"] });
    expect((await c.runs.list(th.thread_id)).map((r) => r.status)).toEqual(["success"]);
    expect(await c.threads.get(th.thread_id)).toMatchObject({ status: "idle", values: { answers: ["careful"] } });
  });

  it("a thread run by such an assistant: state reads build the graph with the assistant's config under the thread's", async () => {
    const good = await withModel("fast", "fast for state");
    const th = await c.threads.create();
    await c.runs.wait(th.thread_id, good.assistant_id, { input: {} });
    expect((await c.threads.getState(th.thread_id)).values).toEqual({ answers: ["fast"] });
    expect((await c.threads.getHistory(th.thread_id)).length).toBeGreaterThan(1);
    await c.threads.updateState(th.thread_id, { values: { answers: ["edited"] } });
    expect((await c.threads.getState(th.thread_id)).values).toEqual({ answers: ["fast", "edited"] });
    // The assistant's latest version is what counts: a patch to a model the factory refuses shows at once.
    await c.assistants.update(good.assistant_id, { config: { configurable: { model: "gpt-9" } } });
    await expect(c.threads.getState(th.thread_id)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining(REFUSED),
    });
  });

  it("a thread whose config it refuses: state reads answer 422 naming why, until a run's config mends it", async () => {
    // A run's request config joins its thread's, and state calls build the graph with the thread's.
    const th = await c.threads.create();
    const run = (model: string) =>
      c.runs.wait(th.thread_id, "picky", { input: {}, config: { configurable: { model } } });
    expect(await run("fast")).toEqual({ answers: ["fast"] });
    expect((await c.threads.getState(th.thread_id)).values).toEqual({ answers: ["fast"] });

    expect(await failure(run("gpt-9"))).toContain(REFUSED);
    for (const call of [
      () => c.threads.getState(th.thread_id),
      () => c.threads.getHistory(th.thread_id),
      () => c.threads.updateState(th.thread_id, { values: { answers: ["x"] } }),
    ]) {
      await expect(call()).rejects.toMatchObject({ status: 422, message: expect.stringContaining(REFUSED) });
    }
    // The thread is still there, with the values its last good run left.
    expect(await c.threads.get(th.thread_id)).toMatchObject({ status: "error", values: { answers: ["fast"] } });
    expect(await run("careful")).toEqual({ answers: ["fast", "careful"] });
    expect((await c.threads.getState(th.thread_id)).values).toEqual({ answers: ["fast", "careful"] });
  });
});
