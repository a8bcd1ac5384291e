/**
 * Graphs see the Store API's store (`config.store`, a LangGraph BaseStore): what a client puts over
 * HTTP a node reads, what a node puts and deletes the client sees, in the server's thread and in a
 * graph worker thread alike (the two vitest projects); a run's store is its owner's; a bad namespace fails the run, not the server.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@langchain/langgraph-sdk";
import { clientWith } from "../helpers/sdk.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const STORE_GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.json", import.meta.url));

// Both executors: the "graph workers" project runs this file with graphs in a worker thread, whose store
// calls go through the server thread; "graphs in process" runs it with graphs in the server's thread.
describe("a graph's store", () => {
  let t: TestServer;
  let client: Client;
  beforeAll(async () => {
    t = await startTestServer();
    client = t.client;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("reads what a client put, puts what the client reads back, lists and deletes", async () => {
    await client.store.putItem(["memories", "ann"], "from-http", { hello: "from the client" });
    const thread = await client.threads.create();
    const out = (await client.runs.wait(thread.thread_id, "memory", {
      input: { user: "ann", note: "the graph was here" },
    })) as Record<string, unknown>;
    expect(out.seen).toEqual({ hello: "from the client" });

    const written = await client.store.getItem(["memories", "ann"], "from-graph");
    expect(written).toMatchObject({
      namespace: ["memories", "ann"],
      key: "from-graph",
      value: { note: "the graph was here", seen: { hello: "from the client" } },
    });

    await client.runs.wait(thread.thread_id, "memory", { input: { user: "ann", forget: "from-http" } });
    expect(await client.store.getItem(["memories", "ann"], "from-http")).toBeNull();
    expect((await client.store.searchItems(["memories"])).items.map((i) => i.key)).toEqual(["from-graph"]);
  });

  it("a namespace the store refuses fails the run with the store's reason; nothing is written", async () => {
    const thread = await client.threads.create();
    const run = await client.runs.create(thread.thread_id, "memory", { input: { user: "bad", bad_namespace: true } });
    await client.runs.join(thread.thread_id, run.run_id);
    const ended = await client.runs.get(thread.thread_id, run.run_id);
    expect(ended.status).toBe("error");
    expect((await client.store.listNamespaces({ prefix: ["memories"] })).namespaces).not.toContainEqual([
      "memories",
      "a.b",
    ]);
    expect(await client.store.getItem(["memories", "bad"], "from-graph")).toBeNull();
    // The server goes on serving the store.
    expect((await client.store.searchItems(["memories", "bad"])).items).toEqual([]);
  });
});

describe("a graph's store is its run's owner's (auth mode api-keys)", () => {
  let t: TestServer;
  let alice: Client;
  let bob: Client;
  const as = (key: string) => clientWith(t.url, { "x-api-key": key });

  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: STORE_GRAPHS, authMode: "api-keys" });
    const keys = t.server.services.stores.apiKeys;
    alice = as((await mintApiKey(keys, { user: "alice" })).key);
    bob = as((await mintApiKey(keys, { user: "bob" })).key);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("alice's run reads and writes alice's items; bob sees none of them", async () => {
    await alice.store.putItem(["memories", "u"], "from-http", { text: "alice wrote this" });
    await bob.store.putItem(["memories", "u"], "from-http", { text: "bob wrote this" });
    const thread = await alice.threads.create();
    const out = (await alice.runs.wait(thread.thread_id, "memory", { input: { user: "u", note: "n" } })) as Record<
      string,
      unknown
    >;
    expect(out.seen).toEqual({ text: "alice wrote this" });
    expect((await alice.store.getItem(["memories", "u"], "from-graph"))!.value).toEqual({
      note: "n",
      seen: { text: "alice wrote this" },
    });
    expect(await bob.store.getItem(["memories", "u"], "from-graph")).toBeNull();
  });
});
