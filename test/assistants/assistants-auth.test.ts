/**
 * Stored assistants under auth, through the SDK Client. Mode api-keys: each user's assistants are its
 * own (another user's is a 404 like a missing one, in reads, writes, versions, search, count and runs;
 * nothing of it changes), system assistants everyone's. Mode custom: a handler's filters apply to
 * stored assistants as to system ones, and a create is stamped with them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { Client } from "@langchain/langgraph-sdk";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { failure } from "../helpers/sdk.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const AUTH_GRAPHS = fileURLToPath(new URL("../auth/fixtures/langgraph.json", import.meta.url));

const client = (t: TestServer, headers: Record<string, string>) =>
  new Client({ apiUrl: t.url, defaultHeaders: headers, callerOptions: { maxRetries: 0 } });

describe("assistants in auth mode api-keys", () => {
  let t: TestServer;
  let alice: Client;
  let bob: Client;
  let reader: Client;
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS, authMode: "api-keys" });
    const keys = t.server.services.stores.apiKeys;
    alice = client(t, { "x-api-key": (await mintApiKey(keys, { user: "alice" })).key });
    bob = client(t, { "x-api-key": (await mintApiKey(keys, { user: "bob" })).key });
    const readOnly = await mintApiKey(keys, { user: "rita", permissions: ["assistants:read", "assistants:search"] });
    reader = client(t, { "x-api-key": readOnly.key });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("another user's assistant is a 404 like a missing one, everywhere, and nothing of it changes", async () => {
    const mine = await alice.assistants.create({ graphId: "whoami", name: "alice's", metadata: { k: 1 } });
    await alice.assistants.update(mine.assistant_id, { name: "alice's v2" });
    const before = [
      await alice.assistants.get(mine.assistant_id),
      await alice.assistants.getVersions(mine.assistant_id),
    ];
    const missing = randomUUID();
    const both = async (call: (id: string) => Promise<unknown>) => [
      (await failure(call(mine.assistant_id))).replace(mine.assistant_id, "ID"),
      (await failure(call(missing))).replace(missing, "ID"),
    ];
    for (const call of [
      (id: string) => bob.assistants.get(id),
      (id: string) => bob.assistants.update(id, { name: "bob's" }),
      (id: string) => bob.assistants.delete(id),
      (id: string) => bob.assistants.delete(id, { deleteThreads: true }),
      (id: string) => bob.assistants.getVersions(id),
      (id: string) => bob.assistants.setLatest(id, 1),
    ]) {
      const [theirs, none] = await both(call);
      expect(theirs).toMatch(/404/);
      expect(theirs).toBe(none);
    }
    const thread = await bob.threads.create();
    const [theirs, none] = await both((id) => bob.runs.wait(thread.thread_id, id, { input: {} }));
    expect(theirs).toMatch(/404.*No assistant found/);
    expect(theirs).toBe(none);
    expect([
      await alice.assistants.get(mine.assistant_id),
      await alice.assistants.getVersions(mine.assistant_id),
    ]).toEqual(before);
  });

  it("search and count see the caller's own and the system assistants only; its id is taken for everyone", async () => {
    const mine = await alice.assistants.create({ graphId: "whoami", name: "searchable" });
    const bobs = await bob.assistants.create({ graphId: "whoami", name: "searchable" });
    expect((await bob.assistants.search({ name: "searchable" })).map((a) => a.assistant_id)).toEqual([
      bobs.assistant_id,
    ]);
    expect(await bob.assistants.count({ name: "searchable" })).toBe(1);
    const systems = (await bob.assistants.search({ metadata: { created_by: "system" } })).map((a) => a.name).sort();
    expect(systems).toEqual(["slow", "whoami"]);
    const res = await fetch(`${t.url}/assistants/search`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "" },
    });
    expect(res.status).toBe(401);
    // The id is taken: 409, with do_nothing too (the existing assistant is not bob's to see).
    for (const ifExists of ["raise", "do_nothing"] as const)
      expect(
        await failure(bob.assistants.create({ graphId: "whoami", assistantId: mine.assistant_id, ifExists })),
      ).toMatch(/409/);
  });

  it("a create stamps the owner; the owner's runs use it", async () => {
    const mine = await alice.assistants.create({ graphId: "whoami", metadata: { owner: "bob" } });
    expect(mine.metadata).toEqual({ owner: "alice" });
    const thread = await alice.threads.create();
    const result = (await alice.runs.wait(thread.thread_id, mine.assistant_id, { input: {} })) as { user_id: string };
    expect(result.user_id).toBe("alice");
    expect((await alice.threads.get(thread.thread_id)).metadata).toMatchObject({ assistant_id: mine.assistant_id });
  });

  it("the permissions apply: a key without assistants:create is a 403 and nothing is created", async () => {
    const before = await alice.assistants.count();
    expect(await failure(reader.assistants.create({ graphId: "whoami" }))).toMatch(/403/);
    expect(await failure(reader.assistants.delete("whoami"))).toMatch(/403/);
    expect(await alice.assistants.count()).toBe(before);
    expect(await reader.assistants.count()).toBe(2);
  });
});

describe("assistants in auth mode custom", () => {
  let t: TestServer;
  const as = (user: string) => client(t, { authorization: `Bearer user-${user}` });
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("a handler's filters apply to stored assistants: outside them one is a 404 like a missing one", async () => {
    const alices = await as("alice").assistants.create({ graphId: "whoami", name: "for the team" });
    const hidden = as("hidden");
    for (const call of [
      (id: string) => hidden.assistants.get(id),
      (id: string) => hidden.assistants.update(id, { name: "x" }),
      (id: string) => hidden.assistants.delete(id),
      (id: string) => hidden.assistants.getVersions(id),
      (id: string) => hidden.assistants.setLatest(id, 1),
    ]) {
      const theirs = (await failure(call(alices.assistant_id))).replace(alices.assistant_id, "ID");
      const missing = randomUUID();
      expect(theirs).toMatch(/404/);
      expect(theirs).toBe((await failure(call(missing))).replace(missing, "ID"));
    }
    expect(await hidden.assistants.count()).toBe(0);
    // The fixture's handler filters no one else: bob sees alice's assistant, by the Auth file's rule.
    expect((await as("bob").assistants.get(alices.assistant_id)).name).toBe("for the team");
  });

  it("a create is stamped with the creator's filters, so what it makes is what it sees", async () => {
    const hidden = as("hidden");
    const made = await hidden.assistants.create({ graphId: "whoami", metadata: { created_by: "me" } });
    expect(made.metadata).toEqual({ created_by: "nobody" });
    expect((await hidden.assistants.search()).map((a) => a.assistant_id)).toEqual([made.assistant_id]);
    const patched = await hidden.assistants.update(made.assistant_id, { metadata: { created_by: "me", more: 1 } });
    expect(patched.metadata).toEqual({ created_by: "nobody", more: 1 });
  });
});
