/**
 * What runs see of an assistant, through the SDK Client: its latest version's config and context,
 * merged assistant < thread < request; a system assistant's from LANGGRAPH_CONFIG; what deleting it
 * does to its runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import type { Client } from "@langchain/langgraph-sdk";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { failure } from "../helpers/sdk.ts";

const GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.json", import.meta.url));

describe("runs of assistants", () => {
  let t: TestServer;
  let c: Client;
  beforeAll(async () => {
    t = await startTestServer({
      graphsConfigPath: GRAPHS,
      systemAssistantDefaults: {
        settings: { config: { configurable: { model: "from-env" }, tags: ["env"] }, context: { prompt: "env" } },
      },
    });
    c = t.client;
  });
  afterAll(async () => {
    await t?.close();
  });

  const values = async (threadId: string) =>
    (await c.threads.getState(threadId)).values as {
      configurable: Record<string, unknown>;
      context: unknown;
      tags: string[];
    };

  it("use the assistant's latest config and context, merged assistant < thread < request", async () => {
    const a = await c.assistants.create({
      graphId: "settings",
      config: { configurable: { model: "assistant", temperature: 1, prompt: "assistant" }, tags: ["a"] },
      context: { prompt: "assistant", tone: "dry" },
    });
    const th = await c.threads.create();
    // The first run's config joins the thread's; the second run's request overrides it and the assistant.
    await c.runs.wait(th.thread_id, a.assistant_id, { input: {}, config: { configurable: { temperature: 2 } } });
    expect((await values(th.thread_id)).configurable).toEqual({
      model: "assistant",
      temperature: 2,
      prompt: "assistant",
      assistant_id: a.assistant_id,
    });
    await c.runs.wait(th.thread_id, a.assistant_id, {
      input: {},
      config: { configurable: { prompt: "request" } },
      context: { tone: "warm" },
    });
    const v = await values(th.thread_id);
    expect(v.configurable).toMatchObject({ model: "assistant", temperature: 2, prompt: "request" });
    expect(v.context).toEqual({ prompt: "assistant", tone: "warm" });
    expect(v.tags).toEqual(["a"]);
  });

  it("a run started after a patch sees the new version; after setLatest, the version set", async () => {
    const a = await c.assistants.create({ graphId: "settings", config: { configurable: { model: "v1" } } });
    await c.assistants.update(a.assistant_id, {
      config: { configurable: { model: "v2" } },
      context: { prompt: "v2" },
    });
    const run = async () => {
      const th = await c.threads.create();
      await c.runs.wait(th.thread_id, a.assistant_id, { input: {} });
      return values(th.thread_id);
    };
    expect(await run()).toMatchObject({ configurable: { model: "v2" }, context: { prompt: "v2" } });
    await c.assistants.setLatest(a.assistant_id, 1);
    expect(await run()).toMatchObject({ configurable: { model: "v1" }, context: {} });
  });

  it("system assistants run with LANGGRAPH_CONFIG's config and context, under the request's", async () => {
    const th = await c.threads.create();
    await c.runs.wait(th.thread_id, "settings", { input: {}, context: { extra: true } });
    expect(await values(th.thread_id)).toMatchObject({
      configurable: { model: "from-env" },
      context: { prompt: "env", extra: true },
      tags: ["env"],
    });
  });

  it("deleting its assistant (no delete_threads) leaves a running run alone; a pending one cannot start", async () => {
    const a = await c.assistants.create({
      graphId: "slow",
      config: { configurable: { total_steps: 3, step_ms: 300 } },
    });
    const th = await c.threads.create();
    const running = await c.runs.create(th.thread_id, a.assistant_id, { input: {} });
    const queued = await c.runs.create(th.thread_id, a.assistant_id, { input: {}, multitaskStrategy: "enqueue" });
    expect([running.status, queued.status]).toEqual(["running", "pending"]);

    expect(await c.assistants.delete(a.assistant_id)).toEqual([a.assistant_id]);
    expect(await failure(c.assistants.get(a.assistant_id))).toMatch(/404/);
    // The running run finishes with the config it started with.
    expect(await c.runs.join(th.thread_id, running.run_id)).toEqual({ steps: ["step-1", "step-2", "step-3"] });
    expect(await c.runs.get(th.thread_id, running.run_id)).toMatchObject({
      status: "success",
      assistant_id: a.assistant_id,
    });
    // The pending one reads its assistant when its turn comes: it ends as an error saying why, without running.
    expect(await c.runs.join(th.thread_id, queued.run_id)).toEqual({
      __error__: {
        error: "AssistantDeleted",
        message: expect.stringContaining(`assistant ${a.assistant_id} was deleted`),
      },
    });
    expect((await c.runs.get(th.thread_id, queued.run_id)).status).toBe("error");
    // The thread stays, with its metadata and what the finished run left.
    expect(await c.threads.get(th.thread_id)).toMatchObject({
      metadata: { assistant_id: a.assistant_id, graph_id: "slow" },
      values: { steps: ["step-1", "step-2", "step-3"] },
    });
    expect((await c.threads.getState(th.thread_id)).values).toEqual({ steps: ["step-1", "step-2", "step-3"] });
    expect(await c.threads.getHistory(th.thread_id)).toHaveLength(5);
  });

  it("a run of a deleted assistant is a 404", async () => {
    const a = await c.assistants.create({ graphId: "settings" });
    await c.assistants.delete(a.assistant_id);
    const th = await c.threads.create();
    expect(await failure(c.runs.create(th.thread_id, a.assistant_id, { input: {} }))).toMatch(
      /404.*No assistant found/,
    );
  });
});
