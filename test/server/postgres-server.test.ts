/**
 * The server on the Postgres backend (DATABASE_URL), end to end through the SDK: every store is used
 * by one user's journey (assistants, threads, runs streamed and waited, state and history, the store,
 * crons, feedback, protocol v2), on a schema of its own in this machine's Postgres; and a second
 * server on the same schema. Skips, saying why, without a Postgres, unless THREADGATE_REQUIRE_POSTGRES=1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { dropSchema, POSTGRES_URL as URL, skipWithoutPostgres } from "../helpers/postgres.ts";

const skip = await skipWithoutPostgres("the server on Postgres");
const schema = `tg_server_${process.pid}_${Date.now() % 100_000}`;

describe.skipIf(skip)("the server on Postgres", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ databaseUrl: URL, postgresSchema: schema });
  });
  afterAll(async () => {
    await t?.close();
    await dropSchema(schema);
  });

  it("keeps what a user does in Postgres: threads, runs, state, history, assistants, store, crons, feedback", async () => {
    const { client } = t;
    const assistant = await client.assistants.create({ graphId: "echo", name: "on postgres" });
    const thread = await client.threads.create({ metadata: { about: "postgres" } });
    const events: string[] = [];
    for await (const part of client.runs.stream(thread.thread_id, assistant.assistant_id, {
      input: { messages: [{ type: "human", content: "hello postgres" }] },
      streamMode: ["values", "messages-tuple"],
    }))
      events.push(part.event);
    expect(events[0]).toBe("metadata");
    expect(events).toContain("messages");
    const state = await client.threads.getState<{ messages: { content: string }[] }>(thread.thread_id);
    expect(state.values.messages.map((m) => m.content)).toEqual([
      "hello postgres",
      `I am Threadgate's offline model. You said: "hello postgres".`,
    ]);
    expect((await client.threads.getHistory(thread.thread_id)).length).toBeGreaterThan(1);
    const waited = await client.runs.wait(thread.thread_id, "echo", {
      input: { messages: [{ type: "human", content: "again" }] },
    });
    expect((waited as { messages: unknown[] }).messages).toHaveLength(4);
    const [latest] = await client.runs.list(thread.thread_id);
    expect(latest.status).toBe("success");
    expect((await client.threads.search({ metadata: { about: "postgres" } })).map((th) => th.thread_id)).toEqual([
      thread.thread_id,
    ]);

    await client.store.putItem(["notes"], "k", { text: "kept" });
    expect((await client.store.getItem(["notes"], "k"))?.value).toEqual({ text: "kept" });

    const cron = await client.crons.create("echo", { schedule: "0 0 1 1 *", input: {} });
    expect((await client.crons.search({ assistantId: "echo" })).map((c) => c.cron_id)).toContain(cron.cron_id);

    const feedback = await fetch(`${t.url}/threads/${thread.thread_id}/runs/${latest.run_id}/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rating: 1 }),
    });
    expect(feedback.status).toBeLessThan(300);
    await waitFor(async () => (await client.runs.get(thread.thread_id, latest.run_id)).status === "success");
  });

  it("runs graphs in worker threads on Postgres too (each opens the checkpoints on the schema), or here", async () => {
    const thread = await t.client.threads.create();
    const out = (await t.client.runs.wait(thread.thread_id, "where", { input: {} })) as { seen: { thread: number }[] };
    const inWorkers = process.env.THREADGATE_GRAPH_WORKERS !== "0";
    expect(out.seen).toHaveLength(1);
    expect(out.seen[0].thread !== 0).toBe(inWorkers);
    // A second run of the thread reads the first one's checkpoint, wherever it ran.
    const again = (await t.client.runs.wait(thread.thread_id, "where", { input: {} })) as { seen: unknown[] };
    expect(again.seen).toHaveLength(2);
  });

  it("lets a second server start on the same schema: both answer for the same threads and runs", async () => {
    const second = await startTestServer({ databaseUrl: URL, postgresSchema: schema });
    try {
      const other = new Client({ apiUrl: second.url });
      const thread = await t.client.threads.create({ metadata: { made: "on the first" } });
      expect(await other.threads.get(thread.thread_id)).toMatchObject({ metadata: { made: "on the first" } });
      const run = await other.runs.create(thread.thread_id, "echo", { input: { messages: [] } });
      await t.client.runs.join(thread.thread_id, run.run_id);
      expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
    } finally {
      await second.close();
    }
  });
});
