/**
 * LangGraph Studio opening a deployment, through the SDK Client as Studio's page sends its requests:
 * from https://smith.langchain.com with `x-auth-scheme: langsmith`, reading response headers as a
 * browser may (the CORS-exposed ones). In Studio's order: `/info`; the graph's assistants (the total
 * from X-Pagination-Total), one of them, its versions; its drawing, with and without xray, its
 * schemas and subgraphs; the graph's threads; a new thread and a run streamed in the modes Studio
 * asks for, stopping before `review` (the `studio` graph, test/graphs/studio.ts, on topic "risky");
 * Continue; then the thread, its state and its history.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const require = createRequire(import.meta.url);
const STUDIO_ORIGIN = "https://smith.langchain.com";
const STUDIO_HEADERS = { origin: STUDIO_ORIGIN, "x-auth-scheme": "langsmith" };
const STREAM_MODES = ["values", "messages-tuple", "updates", "debug"] as const;

type StreamEvent = { event: string; data: any };

describe("LangGraph Studio opening a deployment", () => {
  let t: TestServer;
  let studio: Client;
  /** The last response to each path, as the page's fetch saw it. */
  const responses = new Map<string, Response>();
  const headerOf = (path: string, name: string) => responses.get(path)?.headers.get(name) ?? null;

  beforeAll(async () => {
    t = await startTestServer();
    studio = new Client({
      apiUrl: t.url,
      apiKey: null,
      defaultHeaders: STUDIO_HEADERS,
      callerOptions: {
        maxRetries: 0,
        fetch: async (...args: Parameters<typeof fetch>) => {
          const res = await fetch(...args);
          responses.set(new URL(String(args[0] instanceof Request ? args[0].url : args[0])).pathname, res);
          return res;
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("GET /info: the official shape, flagging only what this server has", async () => {
    // The SDK has no call for /info; Studio fetches it first.
    const res = await fetch(`${t.url}/info`, { headers: STUDIO_HEADERS });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toStrictEqual({
      version: (require("../../package.json") as { version: string }).version,
      langgraph_js_version: (require("@langchain/langgraph/package.json") as { version: string }).version,
      context: "js",
      flags: {
        assistants: true,
        crons: true, // a working scheduler (test/crons/)
        langsmith: false,
        langsmith_tracing_replicas: false,
        langsmith_tracing_session_on_runs: false,
      },
      host: { kind: "self-hosted", project_id: null, host_revision_id: null, revision_id: null, tenant_id: null },
    });
  });

  it("a preflight for Studio's headers from smith.langchain.com is allowed, without credentials", async () => {
    const res = await fetch(`${t.url}/assistants/search`, {
      method: "OPTIONS",
      headers: {
        origin: STUDIO_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-auth-scheme",
      },
    });
    await res.text();
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")).toBe("content-type,x-auth-scheme");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  let assistantId: string;

  it("lists the graph's assistants a page at a time, the total read from X-Pagination-Total", async () => {
    const stored = await studio.assistants.create({
      graphId: "studio",
      name: "Careful researcher",
      context: { model: "careful" },
    });
    await studio.assistants.update(stored.assistant_id, { context: { model: "careful", max_sources: 3 } });
    const first = await studio.assistants.search({ graphId: "studio", limit: 1, offset: 0 });
    expect(first).toHaveLength(1);
    expect(headerOf("/assistants/search", "x-pagination-total")).toBe("2");
    // A browser reads only the headers CORS exposes.
    expect(headerOf("/assistants/search", "access-control-expose-headers")).toContain("X-Pagination-Total");
    const second = await studio.assistants.search({ graphId: "studio", limit: 1, offset: 1 });
    expect(headerOf("/assistants/search", "x-pagination-total")).toBe("2");
    expect([...first, ...second].map((a) => a.name).sort()).toEqual(["Careful researcher", "studio"]);
    expect(await studio.assistants.search({ graphId: "studio", limit: 10, offset: 2 })).toEqual([]);

    assistantId = stored.assistant_id;
    expect(await studio.assistants.get(assistantId)).toMatchObject({
      graph_id: "studio",
      name: "Careful researcher",
      version: 2,
      context: { model: "careful", max_sources: 3 },
    });
    const versions = await studio.assistants.getVersions(assistantId);
    expect(versions.map((v) => [v.version, v.context])).toEqual([
      [2, { model: "careful", max_sources: 3 }],
      [1, { model: "careful" }],
    ]);
    expect((await studio.assistants.getVersions("studio")).map((v) => v.version)).toEqual([1]);
  });

  it("draws the graph (xray opens the subgraphs) and builds its forms from the schemas", async () => {
    const drawn = await studio.assistants.getGraph(assistantId);
    expect(drawn.nodes.map((n) => n.id)).toEqual(["__start__", "research", "review", "__end__"]);
    expect(drawn.nodes.find((n) => n.id === "review")?.metadata).toEqual({ __interrupt: "before" });
    expect(drawn.edges).toEqual(
      expect.arrayContaining([
        { source: "__start__", target: "research", conditional: false },
        { source: "research", target: "review", conditional: true },
        { source: "research", target: "__end__", conditional: true },
        { source: "review", target: "__end__", conditional: false },
      ]),
    );
    const xray = await studio.assistants.getGraph(assistantId, { xray: true });
    expect(xray.nodes.map((n) => n.id)).toEqual([
      "__start__",
      "research:plan",
      "research:dig:fetch",
      "research:dig:read",
      "review",
      "__end__",
    ]);

    const schemas = await studio.assistants.getSchemas(assistantId);
    expect(schemas.graph_id).toBe("studio");
    // The input form and the state view: the graph's channels.
    expect(Object.keys(schemas.input_schema!.properties!)).toEqual(["topic", "steps"]);
    expect(Object.keys(schemas.state_schema!.properties!)).toEqual(["topic", "steps"]);
    expect(Object.keys(schemas.output_schema!.properties!)).toEqual(["steps"]);
    // The assistant's context form.
    expect(schemas.context_schema).toMatchObject({
      properties: { model: { enum: ["fast", "careful"] }, max_sources: { type: "integer" } },
    });
    const subgraphs = await studio.assistants.getSubgraphs(assistantId, { recurse: true });
    expect(Object.keys(subgraphs)).toEqual(["research", "research|dig"]);
    expect(Object.keys(subgraphs["research|dig"].state_schema!.properties!)).toEqual(["topic", "steps"]);
  });

  let threadId: string;
  const streamed: StreamEvent[][] = [];

  async function streamRun(input: Record<string, unknown> | null): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    const stream = studio.runs.stream(threadId, assistantId, {
      input,
      streamMode: [...STREAM_MODES],
      streamSubgraphs: true,
    });
    for await (const e of stream) events.push(e as StreamEvent);
    streamed.push(events);
    return events;
  }

  it("a new thread and a streamed run: metadata first, then each mode, stopping before review", async () => {
    expect(await studio.threads.search({ metadata: { graph_id: "studio" }, limit: 10, offset: 0 })).toEqual([]);
    expect(headerOf("/threads/search", "x-pagination-total")).toBe("0");
    const thread = await studio.threads.create();
    threadId = thread.thread_id;

    const events = await streamRun({ topic: "risky" });
    expect(events[0]).toMatchObject({ event: "metadata", data: { run_id: expect.any(String), attempt: 1 } });
    const [run] = await studio.runs.list(threadId);
    expect(run).toMatchObject({ run_id: events[0].data.run_id, assistant_id: assistantId, status: "success" });
    const names = new Set(events.map((e) => e.event.split("|")[0]));
    expect(names).toEqual(new Set(["metadata", "values", "updates", "debug"])); // no model: no messages
    // The subgraphs' events too, under their namespaces.
    expect(events.some((e) => e.event.startsWith("updates|research:"))).toBe(true);
    const values = events.filter((e) => e.event === "values").map((e) => e.data);
    expect(values[0]).toEqual({ topic: "risky", steps: [] });
    expect(values.at(-1)).toEqual({ __interrupt__: [] }); // stopped before review
    expect(events.filter((e) => e.event === "updates").map((e) => Object.keys(e.data))).toEqual([
      ["research"],
      ["__interrupt__"],
    ]);

    expect(await studio.threads.get(threadId)).toMatchObject({
      status: "interrupted",
      metadata: { graph_id: "studio", assistant_id: assistantId },
    });
    const state = await studio.threads.getState(threadId);
    expect(state.next).toEqual(["review"]);
    expect(state.tasks.map((task) => task.name)).toEqual(["review"]);
    expect(state.values).toMatchObject({ topic: "risky", steps: expect.arrayContaining(["plan", "fetch", "read"]) });
  });

  it("Continue runs review; the thread, its state and its history are what the streams showed", async () => {
    const events = await streamRun(null);
    expect(events[0].event).toBe("metadata");
    expect(events.filter((e) => e.event === "updates").map((e) => e.data)).toEqual([{ review: { steps: ["review"] } }]);
    const last = events.filter((e) => e.event === "values").at(-1)!.data;

    const thread = await studio.threads.get(threadId);
    expect(thread).toMatchObject({ status: "idle", values: last });
    const state = await studio.threads.getState(threadId);
    expect(state.values).toEqual(last);
    expect(state.values).toMatchObject({ topic: "risky", steps: expect.arrayContaining(["review"]) });
    expect(state.next).toEqual([]);
    expect((state.values as { steps: string[] }).steps.at(-1)).toBe("review");

    // Every root checkpoint the debug streams announced is in the history, newest first, and no other.
    const announced = streamed
      .flat()
      .filter((e) => e.event === "debug" && e.data.type === "checkpoint")
      .map((e) => e.data.payload.config.configurable.checkpoint_id as string);
    const history = await studio.threads.getHistory(threadId, { limit: 100 });
    expect(history.map((h) => h.checkpoint.checkpoint_id)).toEqual([...new Set(announced)].reverse());
    expect(history.map((h) => h.next)).toEqual([[], ["review"], ["research"], ["__start__"]]);
    expect(history[0].values).toEqual(last);

    const found = await studio.threads.search({ metadata: { graph_id: "studio" }, limit: 10, offset: 0 });
    expect(found.map((th) => th.thread_id)).toEqual([threadId]);
    expect(headerOf("/threads/search", "x-pagination-total")).toBe("1");
  });
});
