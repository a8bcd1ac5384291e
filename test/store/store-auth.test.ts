/**
 * A custom `Auth` handler's store rewrite (LangGraph's documented per-user memory pattern,
 * `value.namespace = [user.identity, ...value.namespace]`) changes what every store call acts on: put,
 * get, search, namespaces and delete all land under the user's label; a rewrite to a bad label is a 422.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { clientWith, failure } from "../helpers/sdk.ts";

const AUTH_GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.auth.json", import.meta.url));

describe("store, custom auth rewriting namespaces", () => {
  let t: TestServer;
  const as = (user: string) => clientWith(t.url, { authorization: `Bearer user-${user}` });
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("every call acts under the user's label", async () => {
    const alice = as("alice");
    await alice.store.putItem(["memories"], "k", { text: "hi" });
    expect(await alice.store.getItem(["memories"], "k")).toMatchObject({
      namespace: ["alice", "memories"],
      value: { text: "hi" },
    });
    const found = await alice.store.searchItems(["memories"]);
    expect(found.items.map((i) => i.namespace)).toEqual([["alice", "memories"]]);
    expect((await alice.store.listNamespaces()).namespaces).toEqual([["alice", "memories"]]);
    expect((await alice.store.listNamespaces({ prefix: ["memories"] })).namespaces).toEqual([["alice", "memories"]]);
    await alice.store.deleteItem(["memories"], "k");
    expect(await alice.store.getItem(["memories"], "k")).toBeNull();
    expect((await alice.store.listNamespaces()).namespaces).toEqual([]);
  });

  it("a rewrite to a label the store refuses is a 422, and nothing is written", async () => {
    const dotty = as("dotty");
    expect(await failure(dotty.store.putItem(["memories"], "k", {}))).toContain("422");
    expect(await failure(dotty.store.getItem(["memories"], "k"))).toContain("422");
  });
});
