/**
 * Graph introspection for LangGraph Studio, through the SDK: an assistant's drawable graph
 * (`assistants.getGraph`, with `xray`), its schemas (`getSchemas`) and its subgraphs (`getSubgraphs`,
 * by namespace and with `recurse`), answered as LangGraph itself draws and describes the graph. An
 * unknown assistant is a 404, a graph that failed to load a 409 naming its load error.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getConfigTypeSchema,
  getInputTypeSchema,
  getOutputTypeSchema,
  getStateTypeSchema,
} from "@langchain/langgraph/zod/schema";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { graph as studio } from "../graphs/studio.ts";
import { systemAssistantId } from "../../src/runtime/assistants/directory.ts";
import { drawGraph, graphSchemas } from "../../src/runtime/graphs/introspection.ts";

const BROKEN_GRAPHS = fileURLToPath(new URL("../graphs/broken/langgraph.json", import.meta.url));

/** LangGraph's own drawing of the graph, as the API answers it: through JSON, without each node's `data.id`. */
async function drawnByLangGraph(xray: boolean | number) {
  const json = JSON.parse(JSON.stringify((await studio.getGraphAsync({ xray })).toJSON()));
  for (const node of json.nodes) delete node.data.id;
  return json;
}

const ids = (g: { nodes: { id: string | number }[] }) => g.nodes.map((n) => n.id);
const plain = (schema: unknown) => JSON.parse(JSON.stringify(schema));

describe("assistant graph introspection", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("GET /assistants/{id}/graph", () => {
    it("draws the graph's nodes and edges as LangGraph does, by graph name or assistant id", async () => {
      const drawn = await t.client.assistants.getGraph("studio");
      expect(drawn).toEqual(await drawnByLangGraph(false));
      expect(ids(drawn)).toEqual(["__start__", "research", "review", "__end__"]);
      expect(await t.client.assistants.getGraph(systemAssistantId("studio"))).toEqual(drawn);
      // What Studio reads: names, the interrupt marker, conditional edges; no class paths of our code.
      const review = drawn.nodes.find((n) => n.id === "review")!;
      expect(review).toEqual({
        id: "review",
        type: "runnable",
        data: { name: "review" },
        metadata: { __interrupt: "before" },
      });
      expect(drawn.edges).toContainEqual({ source: "research", target: "review", conditional: true });
      expect(drawn.edges).toContainEqual({ source: "research", target: "__end__", conditional: true });
      expect(drawn.edges).toContainEqual({ source: "__start__", target: "research", conditional: false });
    });

    it("with xray draws subgraphs inside their nodes: all of them for true, down to the depth given", async () => {
      const all = await t.client.assistants.getGraph("studio", { xray: true });
      expect(all).toEqual(await drawnByLangGraph(true));
      expect(ids(all)).toEqual([
        "__start__",
        "research:plan",
        "research:dig:fetch",
        "research:dig:read",
        "review",
        "__end__",
      ]);
      const one = await t.client.assistants.getGraph("studio", { xray: 1 });
      expect(one).toEqual(await drawnByLangGraph(1));
      expect(ids(one)).toEqual(["__start__", "research:plan", "research:dig", "review", "__end__"]);
      expect(await t.client.assistants.getGraph("studio", { xray: 2 })).toEqual(all);
      expect(await t.client.assistants.getGraph("studio", { xray: false })).toEqual(await drawnByLangGraph(false));
    });

    it("takes xray as the official server does: True/False too; 0, negative or not a number is a 422", async () => {
      const True = await http(t.url, "GET", "/assistants/studio/graph?xray=True");
      expect(True.status).toBe(200);
      expect(True.json).toEqual(await drawnByLangGraph(true));
      const False = await http(t.url, "GET", "/assistants/studio/graph?xray=False");
      expect(False.json).toEqual(await drawnByLangGraph(false));
      for (const bad of ["0", "-1", "deep", "1.5"]) {
        const res = await http(t.url, "GET", `/assistants/studio/graph?xray=${bad}`);
        expect(res.status, bad).toBe(422);
        expect(res.json.detail[0].loc, bad).toEqual(["query", "xray"]);
      }
    });

    it("builds a factory graph with the assistant's config", async () => {
      const drawn = await t.client.assistants.getGraph("configured");
      expect(ids(drawn)).toEqual(["__start__", "default", "__end__"]);
      // An assistant with a config of its own (stored assistants): the factory gets it.
      const { registry, assistants } = t.server.services;
      const system = (await assistants.resolve("configured"))!;
      const custom = { ...system, config: { configurable: { nodeName: "tuned" } } };
      expect(ids(await drawGraph(registry, custom, false))).toEqual(["__start__", "tuned", "__end__"]);
      expect((await graphSchemas(registry, custom)).graph_id).toBe("configured");
    });
  });

  describe("GET /assistants/{id}/schemas", () => {
    it("answers the input, output, state and context JSON Schemas LangGraph derives from the StateSchema", async () => {
      const schemas = await t.client.assistants.getSchemas("studio");
      expect(schemas).toEqual({
        graph_id: "studio",
        input_schema: plain(getInputTypeSchema(studio)),
        output_schema: plain(getOutputTypeSchema(studio)),
        state_schema: plain(getStateTypeSchema(studio)),
        config_schema: plain(getConfigTypeSchema(studio)),
        context_schema: plain(getConfigTypeSchema(studio)),
      });
      // What Studio builds its forms from.
      expect(schemas.state_schema).toMatchObject({
        type: "object",
        properties: { topic: { type: "string", description: "What to research" }, steps: { type: "array" } },
        required: ["topic"],
      });
      expect(schemas.input_schema!.required).toBeUndefined(); // every input key is optional
      expect(Object.keys(schemas.output_schema!.properties!)).toEqual(["steps"]);
      expect(schemas.context_schema).toMatchObject({
        type: "object",
        properties: {
          model: { type: "string", enum: ["fast", "careful"], default: "fast" },
          max_sources: { type: "integer", minimum: 1, maximum: 10 },
        },
      });
      expect(await t.client.assistants.getSchemas(systemAssistantId("studio"))).toEqual(schemas);
    });

    it("is null for what cannot be derived: an Annotation state, a graph without a context schema", async () => {
      expect(await t.client.assistants.getSchemas("studio_annotation")).toEqual({
        graph_id: "studio_annotation",
        input_schema: null,
        output_schema: null,
        state_schema: null,
        config_schema: null,
        context_schema: null,
      });
      const echo = await t.client.assistants.getSchemas("echo");
      expect(echo.state_schema).toMatchObject({ properties: { messages: { langgraph_type: "messages" } } });
      expect(echo.config_schema).toBeNull();
      expect(echo.context_schema).toBeNull();
    });
  });

  describe("GET /assistants/{id}/subgraphs[/{namespace}]", () => {
    it("maps each subgraph's namespace to its schemas; recurse adds the subgraphs of subgraphs", async () => {
      const top = await t.client.assistants.getSubgraphs("studio");
      expect(Object.keys(top)).toEqual(["research"]);
      expect(top.research).toEqual({
        input_schema: expect.objectContaining({ type: "object" }),
        output_schema: expect.objectContaining({ type: "object" }),
        state_schema: expect.objectContaining({ required: ["topic"] }),
        config_schema: null,
        context_schema: null,
      });
      const deep = await t.client.assistants.getSubgraphs("studio", { recurse: true });
      expect(Object.keys(deep)).toEqual(["research", "research|dig"]);
      expect(deep.research).toEqual(top.research);
      expect(Object.keys(await t.client.assistants.getSubgraphs("subgraph"))).toEqual(["child"]);
      expect(await t.client.assistants.getSubgraphs("echo")).toEqual({});
    });

    it("by namespace answers that subgraph alone; a nested one needs recurse; none there is {}", async () => {
      const deep = await t.client.assistants.getSubgraphs("studio", { recurse: true });
      expect(await t.client.assistants.getSubgraphs("studio", { namespace: "research" })).toEqual({
        research: deep.research,
      });
      expect(await t.client.assistants.getSubgraphs("studio", { namespace: "research|dig", recurse: true })).toEqual({
        "research|dig": deep["research|dig"],
      });
      expect(await t.client.assistants.getSubgraphs("studio", { namespace: "research|dig" })).toEqual({});
      expect(await t.client.assistants.getSubgraphs("studio", { namespace: "nowhere" })).toEqual({});
      // The SDK sends the namespace URL-encoded; `1`/`0` work for recurse, as for every flag.
      const raw = await http(t.url, "GET", "/assistants/studio/subgraphs/research%7Cdig?recurse=1");
      expect(raw.status).toBe(200);
      expect(Object.keys(raw.json)).toEqual(["research|dig"]);
    });
  });

  it("an unknown assistant is a 404 on every operation, and a bad flag a 422", async () => {
    const missing = ["no_such_graph", "00000000-0000-4000-8000-000000000000"];
    for (const id of missing) {
      for (const route of ["graph", "schemas", "subgraphs", "subgraphs/child"]) {
        const res = await http(t.url, "GET", `/assistants/${id}/${route}`);
        expect(res.status, `${id} ${route}`).toBe(404);
        expect(res.json, `${id} ${route}`).toEqual({ detail: "Assistant not found" });
      }
      await expect(t.client.assistants.getGraph(id)).rejects.toMatchObject({ status: 404 });
      await expect(t.client.assistants.getSchemas(id)).rejects.toMatchObject({ status: 404 });
      await expect(t.client.assistants.getSubgraphs(id)).rejects.toMatchObject({ status: 404 });
    }
    const bad = await http(t.url, "GET", "/assistants/studio/subgraphs?recurse=maybe");
    expect(bad.status).toBe(422);
  });
});

describe("introspecting a graph that failed to load", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: BROKEN_GRAPHS });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers 409 with the load error, as a run of it does; the graphs that loaded answer", async () => {
    for (const graph of ["throws_at_import", "no_such_export"]) {
      for (const route of ["graph", "schemas", "subgraphs", "subgraphs/child"]) {
        const res = await http(t.url, "GET", `/assistants/${graph}/${route}`);
        expect(res.status, `${graph} ${route}`).toBe(409);
        expect(res.json.detail, `${graph} ${route}`).toContain(`graph "${graph}" failed to load`);
      }
    }
    await expect(t.client.assistants.getGraph("throws_at_import")).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("broken at import"),
    });
    await expect(t.client.assistants.getSchemas("no_such_export")).rejects.toMatchObject({ status: 409 });
    expect(ids(await t.client.assistants.getGraph("two_node"))).toEqual(["__start__", "first", "second", "__end__"]);
  });
});

describe("introspection under custom auth", () => {
  const AUTH_GRAPHS = fileURLToPath(new URL("../auth/fixtures/langgraph.json", import.meta.url));
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS });
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = (route: string, user?: string) =>
    http(t.url, "GET", route, undefined, user ? { authorization: `Bearer user-${user}` } : {});

  it("needs credentials, and an assistant a handler's filter hides answers as a missing one", async () => {
    for (const route of ["graph", "schemas", "subgraphs", "subgraphs/child"]) {
      expect((await get(`/assistants/whoami/${route}`)).status, route).toBe(401);
      expect((await get(`/assistants/whoami/${route}`, "alice")).status, route).toBe(200);
      const hidden = await get(`/assistants/whoami/${route}`, "hidden");
      const missing = await get(`/assistants/no_such_graph/${route}`, "hidden");
      expect(hidden.status, route).toBe(404);
      expect(hidden.text, route).toBe(missing.text);
    }
  });
});
