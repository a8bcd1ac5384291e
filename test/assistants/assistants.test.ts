/**
 * Tag `assistants` through the SDK Client: stored assistants (create, get, update, delete), their
 * versions (getVersions, setLatest), search and count over system and stored assistants, and what
 * runs see: assistant-runs.test.ts. Owner isolation and custom filters: assistants-auth.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import type { Client } from "@langchain/langgraph-sdk";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { failure } from "../helpers/sdk.ts";
import { systemAssistantId } from "../../src/runtime/assistants/directory.ts";

const GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.json", import.meta.url));

describe("assistants", () => {
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

  describe("create and get", () => {
    it("creates a stored assistant at version 1, with defaults, and gets it by id", async () => {
      const created = await c.assistants.create({ graphId: "settings" });
      expect(created).toEqual({
        assistant_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        graph_id: "settings",
        config: {},
        context: {},
        metadata: {},
        name: "Untitled",
        description: null,
        version: 1,
        created_at: expect.any(String),
        updated_at: created.created_at,
      });
      expect(await c.assistants.get(created.assistant_id)).toEqual(created);
    });

    it("takes the given id, config, context, metadata, name and description", async () => {
      const id = randomUUID();
      const created = await c.assistants.create({
        graphId: "settings",
        assistantId: id.toUpperCase(),
        config: { configurable: { model: "m1" }, tags: ["t"] },
        context: { prompt: "p1" },
        metadata: { team: "a" },
        name: "Writer",
        description: "writes",
      });
      expect(created).toMatchObject({
        assistant_id: id,
        config: { configurable: { model: "m1" }, tags: ["t"] },
        context: { prompt: "p1" },
        metadata: { team: "a" },
        name: "Writer",
        description: "writes",
      });
    });

    it("an unknown graph is a 404 naming it, and nothing is created", async () => {
      const id = randomUUID();
      expect(await failure(c.assistants.create({ graphId: "nope", assistantId: id }))).toMatch(
        /404.*Graph .{0,2}nope.{0,2} not found/,
      );
      expect(await failure(c.assistants.get(id))).toMatch(/404/);
    });

    it("an existing id is a 409 with if_exists raise (the default), the existing one with do_nothing", async () => {
      const first = await c.assistants.create({ graphId: "settings", name: "first" });
      expect(await failure(c.assistants.create({ graphId: "settings", assistantId: first.assistant_id }))).toMatch(
        /409.*Assistant already exists/,
      );
      expect(
        await failure(c.assistants.create({ graphId: "slow", assistantId: first.assistant_id, ifExists: "raise" })),
      ).toMatch(/409/);
      expect(
        await c.assistants.create({ graphId: "slow", assistantId: first.assistant_id, ifExists: "do_nothing" }),
      ).toEqual(first);
    });

    it("a system assistant's id is taken too; the system assistant is got by id or by graph name", async () => {
      const id = systemAssistantId("settings");
      expect(await failure(c.assistants.create({ graphId: "settings", assistantId: id }))).toMatch(/409/);
      const system = await c.assistants.create({ graphId: "settings", assistantId: id, ifExists: "do_nothing" });
      expect(system).toMatchObject({ assistant_id: id, name: "settings", metadata: { created_by: "system" } });
      expect(await c.assistants.get("settings")).toEqual(system);
      expect(await c.assistants.get(id)).toEqual(system);
    });

    it("the system assistant's config and context come from LANGGRAPH_CONFIG", async () => {
      expect(await c.assistants.get("settings")).toMatchObject({
        config: { configurable: { model: "from-env" }, tags: ["env"] },
        context: { prompt: "env" },
      });
      expect((await c.assistants.get("slow")).config).toEqual({});
    });

    it("a missing assistant is a 404", async () => {
      expect(await failure(c.assistants.get(randomUUID()))).toMatch(/404.*Assistant not found/);
    });
  });

  describe("update and versions", () => {
    it("every patch writes a new version and moves latest to it; metadata is merged, the rest replaced", async () => {
      const a = await c.assistants.create({
        graphId: "settings",
        config: { configurable: { model: "m1" } },
        metadata: { team: "a", keep: 1 },
        name: "v1",
      });
      const v2 = await c.assistants.update(a.assistant_id, { metadata: { team: "b" }, name: "v2" });
      expect(v2).toMatchObject({ version: 2, name: "v2", metadata: { team: "b", keep: 1 }, config: a.config });
      const v3 = await c.assistants.update(a.assistant_id, { config: { configurable: { model: "m3" } } });
      expect(v3).toMatchObject({ version: 3, name: "v2", config: { configurable: { model: "m3" } } });
      expect(v3.created_at).toBe(a.created_at);
      expect(await c.assistants.get(a.assistant_id)).toEqual(v3);

      const versions = await c.assistants.getVersions(a.assistant_id);
      expect(versions.map((v) => [v.version, v.name])).toEqual([
        [3, "v2"],
        [2, "v2"],
        [1, "v1"],
      ]);
      expect(versions[2]).toMatchObject({ assistant_id: a.assistant_id, graph_id: "settings", config: a.config });
      expect((await c.assistants.getVersions(a.assistant_id, { limit: 1, offset: 1 })).map((v) => v.version)).toEqual([
        2,
      ]);
      expect(
        (await c.assistants.getVersions(a.assistant_id, { metadata: { team: "b" } })).map((v) => v.version),
      ).toEqual([3, 2]);
    });

    it("setLatest moves latest to any version, and a patch after it is max+1", async () => {
      const a = await c.assistants.create({ graphId: "settings", name: "one" });
      await c.assistants.update(a.assistant_id, { name: "two" });
      const back = await c.assistants.setLatest(a.assistant_id, 1);
      expect(back).toMatchObject({ version: 1, name: "one" });
      expect(await c.assistants.get(a.assistant_id)).toMatchObject({ version: 1, name: "one" });
      expect(await c.assistants.update(a.assistant_id, { description: "three" })).toMatchObject({
        version: 3,
        name: "one",
        description: "three",
      });
      expect(await failure(c.assistants.setLatest(a.assistant_id, 7))).toMatch(/404.*Assistant version not found/);
      expect(await c.assistants.get(a.assistant_id)).toMatchObject({ version: 3 });
      expect(await failure(c.assistants.setLatest(randomUUID(), 1))).toMatch(/404.*Assistant not found/);
    });

    it("a patch to an unknown graph is a 404 naming it, and writes no version", async () => {
      const a = await c.assistants.create({ graphId: "settings" });
      expect(await failure(c.assistants.update(a.assistant_id, { graphId: "nope" }))).toMatch(
        /404.*Graph .{0,2}nope.{0,2} not found/,
      );
      expect(await c.assistants.getVersions(a.assistant_id)).toHaveLength(1);
      expect(await c.assistants.update(a.assistant_id, { graphId: "slow" })).toMatchObject({ graph_id: "slow" });
    });

    it("system assistants have one version and cannot be changed; a missing assistant is a 404", async () => {
      const versions = await c.assistants.getVersions("settings");
      expect(versions).toEqual([expect.objectContaining({ version: 1, assistant_id: systemAssistantId("settings") })]);
      expect(await c.assistants.setLatest("settings", 1)).toMatchObject({ version: 1 });
      expect(await failure(c.assistants.setLatest("settings", 2))).toMatch(/404.*version not found/);
      expect(await failure(c.assistants.update("settings", { name: "mine" }))).toMatch(/409/);
      expect(await failure(c.assistants.update(randomUUID(), { name: "x" }))).toMatch(/404/);
      expect(await failure(c.assistants.getVersions(randomUUID()))).toMatch(/404/);
    });
  });

  describe("search and count", () => {
    let s: TestServer;
    let sc: Client;
    beforeAll(async () => {
      s = await startTestServer({ graphsConfigPath: GRAPHS });
      sc = s.client;
      for (const [name, graphId, team] of [
        ["Beta writer", "settings", "x"],
        ["alpha reader", "settings", "y"],
        ["Gamma", "slow", "x"],
      ]) {
        await sc.assistants.create({ graphId, name, metadata: { team } });
        await new Promise((r) => setTimeout(r, 5)); // distinct created_at, so newest first is one order
      }
    });
    afterAll(async () => {
      await s?.close();
    });

    it("lists system and stored assistants, newest first by default", async () => {
      const all = await sc.assistants.search({ limit: 100 });
      // The system assistants were made at boot, before the others; ties go by name.
      expect(all.map((a) => a.name)).toEqual(["Gamma", "alpha reader", "Beta writer", "settings", "slow"]);
      const oldest = await sc.assistants.search({ sortOrder: "asc", sortBy: "created_at", limit: 100 });
      expect(oldest.map((a) => a.name)).toEqual(["settings", "slow", "Beta writer", "alpha reader", "Gamma"]);
      expect(await sc.assistants.count()).toBe(5);
    });

    it("filters by graph, name substring (any case) and metadata; count agrees", async () => {
      const names = async (q: Parameters<Client["assistants"]["search"]>[0]) =>
        (await sc.assistants.search(q)).map((a) => a.name).sort();
      expect(await names({ graphId: "slow" })).toEqual(["Gamma", "slow"]);
      expect(await names({ name: "WRITER" })).toEqual(["Beta writer"]);
      expect(await names({ name: "a" })).toEqual(["Beta writer", "Gamma", "alpha reader"]);
      expect(await names({ metadata: { team: "x" } })).toEqual(["Beta writer", "Gamma"]);
      expect(await names({ metadata: { created_by: "system" } })).toEqual(["settings", "slow"]);
      expect(await names({ graphId: "settings", metadata: { team: "x" } })).toEqual(["Beta writer"]);
      expect(await sc.assistants.count({ graphId: "slow" })).toBe(2);
      expect(await sc.assistants.count({ name: "a", metadata: { team: "x" } })).toBe(2);
      expect(await sc.assistants.count({ graphId: "nope" })).toBe(0);
    });

    it("sorts by each sort_by in both orders, and selects fields", async () => {
      const byName = await sc.assistants.search({ sortBy: "name", sortOrder: "asc", limit: 100 });
      expect(byName.map((a) => a.name)).toEqual(["Beta writer", "Gamma", "alpha reader", "settings", "slow"]);
      const byGraph = await sc.assistants.search({ sortBy: "graph_id", sortOrder: "desc", limit: 100 });
      expect(byGraph.map((a) => a.graph_id)).toEqual(["slow", "slow", "settings", "settings", "settings"]);
      const byId = await sc.assistants.search({ sortBy: "assistant_id", sortOrder: "asc", limit: 100 });
      expect(byId.map((a) => a.assistant_id)).toEqual(byId.map((a) => a.assistant_id).sort());
      const picked = await sc.assistants.search({ select: ["assistant_id", "name"], sortBy: "name", limit: 1 });
      expect(picked).toEqual([{ assistant_id: expect.any(String), name: "slow" }]);
    });

    it("pages with limit/offset and the X-Pagination headers", async () => {
      const page = await sc.assistants.search({
        limit: 2,
        offset: 1,
        sortBy: "name",
        sortOrder: "asc",
        includePagination: true,
      });
      expect(page.assistants.map((a) => a.name)).toEqual(["Gamma", "alpha reader"]);
      expect(page.next).toBe("3");
      const last = await sc.assistants.search({
        limit: 2,
        offset: 4,
        sortBy: "name",
        sortOrder: "asc",
        includePagination: true,
      });
      expect(last.assistants.map((a) => a.name)).toEqual(["slow"]);
      expect(last.next).toBeNull();
      const res = await fetch(`${s.url}/assistants/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ limit: 1 }),
      });
      expect(res.headers.get("x-pagination-total")).toBe("5");
      expect(res.headers.get("x-pagination-next")).toBe("1");
    });

    it("bad input is a 422", async () => {
      for (const body of [{ sort_by: "owner_id" }, { select: ["owner_id"] }, { limit: 0 }]) {
        const res = await fetch(`${s.url}/assistants/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        expect(res.status, JSON.stringify(body)).toBe(422);
      }
    });
  });

  describe("delete", () => {
    it("deletes a stored assistant with its versions; a system assistant is a 409, a missing one a 404", async () => {
      const a = await c.assistants.create({ graphId: "settings" });
      await c.assistants.update(a.assistant_id, { name: "v2" });
      expect(await c.assistants.delete(a.assistant_id)).toEqual([a.assistant_id]);
      expect(await failure(c.assistants.get(a.assistant_id))).toMatch(/404/);
      expect(await failure(c.assistants.getVersions(a.assistant_id))).toMatch(/404/);
      expect(await failure(c.assistants.delete(a.assistant_id))).toMatch(/404/);
      expect(await failure(c.assistants.delete("settings"))).toMatch(/409.*System assistants cannot be deleted/);
      expect(await c.assistants.get("settings")).toMatchObject({ name: "settings" });
    });

    it("keeps its threads unless delete_threads, which deletes them with their runs and checkpoints", async () => {
      const a = await c.assistants.create({ graphId: "settings" });
      const kept = await c.threads.create();
      await c.runs.wait(kept.thread_id, a.assistant_id, { input: {} });
      await c.assistants.delete(a.assistant_id);
      expect((await c.threads.get(kept.thread_id)).metadata).toMatchObject({ assistant_id: a.assistant_id });

      const b = await c.assistants.create({ graphId: "settings" });
      const [t1, t2, other] = [await c.threads.create(), await c.threads.create(), await c.threads.create()];
      for (const th of [t1, t2]) await c.runs.wait(th.thread_id, b.assistant_id, { input: {} });
      await c.runs.wait(other.thread_id, "settings", { input: {} });
      expect(await c.assistants.delete(b.assistant_id, { deleteThreads: true })).toEqual([b.assistant_id]);
      for (const th of [t1, t2]) {
        expect(await failure(c.threads.get(th.thread_id))).toMatch(/404/);
        const checkpoints = t.server.services.stores.checkpointer.list({ configurable: { thread_id: th.thread_id } });
        expect((await checkpoints.next()).done).toBe(true);
      }
      expect(await c.threads.get(other.thread_id)).toMatchObject({ thread_id: other.thread_id });
    });

    it("delete_threads while one of its threads has a run in flight is a 409, and nothing is deleted", async () => {
      const a = await c.assistants.create({ graphId: "slow" });
      const idle = await c.threads.create();
      await c.runs.wait(idle.thread_id, a.assistant_id, {
        input: {},
        config: { configurable: { total_steps: 1, step_ms: 1 } },
      });
      const busy = await c.threads.create();
      const run = await c.runs.create(busy.thread_id, a.assistant_id, {
        input: {},
        config: { configurable: { total_steps: 50, step_ms: 200 } },
      });
      expect(await failure(c.assistants.delete(a.assistant_id, { deleteThreads: true }))).toMatch(/409.*in flight/);
      expect(await c.assistants.get(a.assistant_id)).toMatchObject({ assistant_id: a.assistant_id });
      expect(await c.threads.get(idle.thread_id)).toMatchObject({ thread_id: idle.thread_id });
      expect((await c.runs.get(busy.thread_id, run.run_id)).status).toBe("running");
      await c.runs.cancel(busy.thread_id, run.run_id, true);
      expect(await c.assistants.delete(a.assistant_id, { deleteThreads: true })).toEqual([a.assistant_id]);
      expect(await failure(c.threads.get(busy.thread_id))).toMatch(/404/);
    });
  });
});
