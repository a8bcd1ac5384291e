/**
 * Tag `store`, through the official SDK's `client.store` over real HTTP: items put, read, replaced and
 * deleted; search by namespace prefix with filters and pages; namespaces by prefix, suffix and depth;
 * bad namespaces refused with nothing written; and in auth mode api-keys, every user's store their own.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@langchain/langgraph-sdk";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { clientWith, failure } from "../helpers/sdk.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("store, without authentication", () => {
  let t: TestServer;
  let client: Client;
  beforeAll(async () => {
    t = await startTestServer();
    client = t.client;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("puts, gets, replaces (updated_at moves, created_at stays) and deletes an item; a missing one is null", async () => {
    expect(await client.store.getItem(["crud", "alice"], "prefs")).toBeNull();
    await client.store.putItem(["crud", "alice"], "prefs", { theme: "dark", sizes: [1, 2] });
    const first = await client.store.getItem(["crud", "alice"], "prefs");
    expect(first).toMatchObject({
      namespace: ["crud", "alice"],
      key: "prefs",
      value: { theme: "dark", sizes: [1, 2] },
      created_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
    });
    expect(first).toMatchObject({ createdAt: expect.stringMatching(ISO_MS), updatedAt: first!.createdAt });

    await sleep(5);
    await client.store.putItem(["crud", "alice"], "prefs", { theme: "light" }, { ttl: 30, index: false });
    const second = await client.store.getItem(["crud", "alice"], "prefs", { refreshTtl: false });
    expect(second!.value).toEqual({ theme: "light" });
    expect(second!.createdAt).toBe(first!.createdAt);
    expect(second!.updatedAt > first!.updatedAt).toBe(true);

    // The wire: 204 for put and delete, 200 with the item or `null` for get.
    const raw = await http(t.url, "GET", "/store/items?namespace=crud.alice&key=prefs&refresh_ttl=1");
    expect(raw.status).toBe(200);
    expect(raw.json).toEqual({
      namespace: ["crud", "alice"],
      key: "prefs",
      value: { theme: "light" },
      created_at: first!.createdAt,
      updated_at: second!.updatedAt,
    });
    // The official reference's form: the namespace repeated, one label each.
    expect((await http(t.url, "GET", "/store/items?namespace=crud&namespace=alice&key=prefs")).json.key).toBe("prefs");
    expect((await http(t.url, "DELETE", "/store/items", { namespace: ["crud", "alice"], key: "prefs" })).status).toBe(
      204,
    );
    expect(await client.store.getItem(["crud", "alice"], "prefs")).toBeNull();
    const none = await http(t.url, "GET", "/store/items?namespace=crud.alice&key=prefs");
    expect([none.status, none.text]).toEqual([200, "null"]);
    // Deleting what is not there, or at the root, is 204 all the same.
    await client.store.deleteItem(["crud", "alice"], "prefs");
    expect((await http(t.url, "DELETE", "/store/items", { key: "prefs" })).status).toBe(204);
    expect((await http(t.url, "GET", "/store/items?key=prefs")).text).toBe("null");
  });

  it("searches by whole-label prefix, filters on the value, newest first, with limit and offset", async () => {
    await client.store.putItem(["docs", "a"], "1", { kind: "note", n: 1 });
    await sleep(2);
    await client.store.putItem(["docs", "a", "deep"], "2", { kind: "todo", n: 2 });
    await sleep(2);
    await client.store.putItem(["docs", "ab"], "3", { kind: "note", n: 3 });
    await sleep(2);
    await client.store.putItem(["docs", "a"], "4", { kind: "note", n: 4, tags: ["x"] });
    const keys = async (prefix: string[], options: Parameters<Client["store"]["searchItems"]>[1] = {}) =>
      (await client.store.searchItems(prefix, options)).items.map((i) => i.key);

    expect(await keys(["docs"])).toEqual(["4", "3", "2", "1"]);
    expect(await keys(["docs", "a"])).toEqual(["4", "2", "1"]);
    expect(await keys(["docs", "a"], { filter: { kind: "note" } })).toEqual(["4", "1"]);
    expect(await keys(["docs"], { filter: { kind: "note", tags: ["x"] } })).toEqual(["4"]);
    // LangGraph's filter operators.
    expect(await keys(["docs"], { filter: { n: { $gte: 2, $lt: 4 } } })).toEqual(["3", "2"]);
    expect(await keys(["docs"], { filter: { kind: { $ne: "note" } } })).toEqual(["2"]);
    expect(await keys(["docs"], { filter: { kind: { $in: ["todo", "memo"] } } })).toEqual(["2"]);
    expect(await keys(["docs"], { limit: 2 })).toEqual(["4", "3"]);
    expect(await keys(["docs"], { limit: 2, offset: 2 })).toEqual(["2", "1"]);
    expect(await keys(["docs"], { offset: 4 })).toEqual([]);
    // `query` is accepted; with no semantic index it ranks nothing.
    expect(await keys(["docs", "a"], { query: "what did I note?", refreshTtl: false })).toEqual(["4", "2", "1"]);
    const { items } = await client.store.searchItems(["docs", "a", "deep"]);
    expect(items).toEqual([
      {
        namespace: ["docs", "a", "deep"],
        key: "2",
        value: { kind: "todo", n: 2 },
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
        createdAt: expect.stringMatching(ISO_MS),
        updatedAt: expect.stringMatching(ISO_MS),
      },
    ]);
    // The default page is 10.
    for (let i = 0; i < 12; i++) await client.store.putItem(["paged"], `k${i}`, { i });
    expect((await http(t.url, "POST", "/store/items/search", { namespace_prefix: ["paged"] })).json.items).toHaveLength(
      10,
    );
  });

  it("lists namespaces by prefix and suffix on label boundaries, cut to max_depth, each once", async () => {
    for (const ns of [
      ["ns", "users", "alice", "memories"],
      ["ns", "users", "bob", "memories"],
      ["ns", "users", "bob", "prefs"],
      ["ns", "usersx"],
      ["other", "memories"],
    ])
      await client.store.putItem(ns, "k", {});
    const list = async (options: Parameters<Client["store"]["listNamespaces"]>[0]) =>
      (await client.store.listNamespaces(options)).namespaces;

    expect(await list({ prefix: ["ns", "users"] })).toEqual([
      ["ns", "users", "alice", "memories"],
      ["ns", "users", "bob", "memories"],
      ["ns", "users", "bob", "prefs"],
    ]);
    expect(await list({ suffix: ["memories"] })).toEqual([
      ["ns", "users", "alice", "memories"],
      ["ns", "users", "bob", "memories"],
      ["other", "memories"],
    ]);
    expect(await list({ prefix: ["ns"], suffix: ["bob", "prefs"] })).toEqual([["ns", "users", "bob", "prefs"]]);
    // Shorter namespaces stay as they are.
    expect(await list({ prefix: ["ns"], maxDepth: 3 })).toEqual([
      ["ns", "users", "alice"],
      ["ns", "users", "bob"],
      ["ns", "usersx"],
    ]);
    expect(await list({ prefix: ["ns"], maxDepth: 2 })).toEqual([
      ["ns", "users"],
      ["ns", "usersx"],
    ]);
    expect(await list({ prefix: ["ns"], maxDepth: 3, limit: 1, offset: 1 })).toEqual([["ns", "users", "bob"]]);
    expect(await list({ prefix: ["ns"], suffix: ["nothing"] })).toEqual([]);
  });

  it("refuses a bad namespace with 422 naming the label, and writes nothing", async () => {
    const before = await client.store.listNamespaces({ prefix: ["bad"] });
    const cases: [string, string, unknown, (string | number)[]][] = [
      ["PUT", "/store/items", { namespace: ["bad", ""], key: "k", value: {} }, ["body", "namespace", 1]],
      ["PUT", "/store/items", { namespace: ["bad", "a.b"], key: "k", value: {} }, ["body", "namespace", 1]],
      ["PUT", "/store/items", { namespace: [], key: "k", value: {} }, ["body", "namespace"]],
      ["PUT", "/store/items", { namespace: ["bad", 7], key: "k", value: {} }, ["body", "namespace", 1]],
      ["DELETE", "/store/items", { namespace: ["bad", ""], key: "k" }, ["body", "namespace", 1]],
      ["POST", "/store/items/search", { namespace_prefix: ["", "x"] }, ["body", "namespace_prefix", 0]],
      ["POST", "/store/namespaces", { suffix: ["x", "y.z"] }, ["body", "suffix", 1]],
      ["GET", "/store/items?namespace=bad..x&key=k", undefined, ["query", "namespace", 1]],
    ];
    for (const [method, path, body, loc] of cases) {
      const res = await http(t.url, method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(422);
      expect(res.json.detail.map((d: { loc: unknown }) => d.loc)).toContainEqual(loc);
    }
    const both = await http(t.url, "PUT", "/store/items", { namespace: ["", "ok", "a.b"], key: "k", value: {} });
    expect(both.json.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
      ["body", "namespace", 0],
      ["body", "namespace", 2],
    ]);
    expect(both.json.detail[1].msg).toContain("pattern");
    const query = await http(t.url, "GET", "/store/items?namespace=bad&namespace=x.&key=k");
    expect(query.json.detail).toEqual([
      { loc: ["query", "namespace", 2], msg: "namespace label 2 is empty", type: "value_error" },
    ]);
    expect(await failure(client.store.putItem(["bad", ""], "k", {}))).toContain("422");
    expect(await client.store.listNamespaces({ prefix: ["bad"] })).toEqual(before);
    expect(before.namespaces).toEqual([]);
  });
});

describe("store, auth mode api-keys: every user's store is their own", () => {
  const AUTH_GRAPHS = fileURLToPath(new URL("../auth/fixtures/langgraph.json", import.meta.url));
  let t: TestServer;
  let alice: Client;
  let bob: Client;
  let reader: Client;
  const as = (key: string) => clientWith(t.url, { "x-api-key": key });

  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS, authMode: "api-keys" });
    const keys = t.server.services.stores.apiKeys;
    alice = as((await mintApiKey(keys, { user: "alice" })).key);
    bob = as((await mintApiKey(keys, { user: "bob" })).key);
    reader = as((await mintApiKey(keys, { user: "rita", permissions: ["store:get", "store:search"] })).key);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("another user's item is absent to get, search and namespaces, and their put makes their own item", async () => {
    await alice.store.putItem(["memories"], "m1", { text: "alice's secret" });
    expect(await bob.store.getItem(["memories"], "m1")).toBeNull();
    expect((await bob.store.searchItems([])).items).toEqual([]);
    expect((await bob.store.searchItems(["memories"], { filter: { text: "alice's secret" } })).items).toEqual([]);
    expect((await bob.store.listNamespaces()).namespaces).toEqual([]);

    await bob.store.putItem(["memories"], "m1", { text: "bob's" });
    expect((await bob.store.getItem(["memories"], "m1"))!.value).toEqual({ text: "bob's" });
    expect((await alice.store.getItem(["memories"], "m1"))!.value).toEqual({ text: "alice's secret" });
    await bob.store.deleteItem(["memories"], "m1");
    expect(await bob.store.getItem(["memories"], "m1")).toBeNull();
    expect((await alice.store.getItem(["memories"], "m1"))!.value).toEqual({ text: "alice's secret" });
    expect((await alice.store.searchItems([])).items.map((i) => i.value)).toEqual([{ text: "alice's secret" }]);
    expect((await alice.store.listNamespaces()).namespaces).toEqual([["memories"]]);
  });

  it("each operation needs its store permission", async () => {
    expect(await reader.store.getItem(["memories"], "m1")).toBeNull();
    expect((await reader.store.searchItems([])).items).toEqual([]);
    expect(await failure(reader.store.putItem(["r"], "k", {}))).toContain("403");
    expect(await failure(reader.store.deleteItem(["r"], "k"))).toContain("403");
    expect(await failure(reader.store.listNamespaces())).toContain("403");
    const anonymous = await http(t.url, "POST", "/store/items/search", {});
    expect(anonymous.status).toBe(401);
  });
});
