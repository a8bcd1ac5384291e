/**
 * Every stream mode, pinned to the LangGraph Platform wire format: the exact
 * sequence of SSE event names and payloads, through the official SDK (and raw
 * bytes where they matter). Only what is inherently random is normalised:
 * ids (thread, run, assistant, checkpoints, tasks, messages, interrupts) and
 * timestamps become placeholders; everything else is compared as is.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultOfflineReply, splitTokens } from "../../src/agents/offline-chat-model.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

type Chunk = { event: string; data: any };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const HEX32 = /\b[0-9a-f]{32}\b/g;
const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

/**
 * Replaces the run's own ids with `<thread_id>`, `<run_id>`, `<assistant_id>`,
 * timestamps with `<timestamp>`, and every other id with `<id:N>` numbered by
 * first appearance — so an id that recurs (a task's start and result, a
 * checkpoint and its child's parent) keeps its placeholder.
 */
function normalise<T>(value: T, known: Record<string, string>): T {
  let text = JSON.stringify(value);
  for (const [id, name] of Object.entries(known)) text = text.split(id).join(name);
  text = text.replace(TIMESTAMP, "<timestamp>");
  const seen = new Map<string, string>();
  const placeholder = (id: string) => {
    if (!seen.has(id)) seen.set(id, `<id:${seen.size + 1}>`);
    return seen.get(id)!;
  };
  text = text.replace(UUID, placeholder).replace(HEX32, placeholder);
  return JSON.parse(text) as T;
}

interface StreamedRun {
  /** Normalised chunks, the SDK's trailing `end` included. */
  chunks: Chunk[];
  /** The chunks as received. */
  raw: Chunk[];
  threadId: string;
  runId: string;
}

async function streamRun(
  graph: string,
  options: Record<string, unknown>,
  keep: (chunk: Chunk) => boolean = () => true,
): Promise<StreamedRun> {
  const thread = await t.client.threads.create();
  let runId = "";
  const raw: Chunk[] = [];
  for await (const chunk of t.client.runs.stream(thread.thread_id, graph, {
    ...options,
    onRunCreated: (meta) => {
      runId = meta.run_id;
    },
  })) {
    if (keep(chunk)) raw.push({ event: chunk.event, data: chunk.data });
  }
  const run = await t.client.runs.get(thread.thread_id, runId);
  const chunks = normalise(raw, {
    [thread.thread_id]: "<thread_id>",
    [runId]: "<run_id>",
    [run.assistant_id]: "<assistant_id>",
  });
  return { chunks, raw, threadId: thread.thread_id, runId };
}

const twoNode = (streamMode: unknown, extra: Record<string, unknown> = {}) =>
  streamRun("two_node", { input: { value: [] }, streamMode, ...extra });

const START = { event: "metadata", data: { run_id: "<run_id>", attempt: 1 } };

// What the run's config carries into LangGraph (see src/runtime/runs/plan.ts), as LangGraph echoes it back.
const RUN_METADATA = {
  ls_integration: "langgraph",
  created_by: "system",
  graph_id: "two_node",
  assistant_id: "<assistant_id>",
  run_id: "<run_id>",
  thread_id: "<thread_id>",
};
const { thread_id: _t, ...TASK_METADATA } = RUN_METADATA;
const runConfig = (checkpointId: string) => ({
  configurable: {
    checkpoint_ns: "",
    thread_id: "<thread_id>",
    run_id: "<run_id>",
    assistant_id: "<assistant_id>",
    graph_id: "two_node",
    checkpoint_id: checkpointId,
  },
  metadata: RUN_METADATA,
  recursion_limit: 25,
  tags: [],
});
const checkpointRef = (checkpointId: string) => ({
  thread_id: "<thread_id>",
  checkpoint_id: checkpointId,
  checkpoint_ns: "",
  checkpoint_map: null,
});
const taskStart = (id: string, name: string, value: string[]) => ({
  id,
  name,
  input: { value },
  triggers: [`branch:to:${name}`],
  interrupts: [],
  metadata: TASK_METADATA,
});
const taskResult = (id: string, name: string) => ({
  id,
  name,
  result: { value: [name] },
  interrupts: [],
  error: null,
});

describe("two_node: the exact event sequence of each stream mode", () => {
  it("values: the full state after each superstep", async () => {
    const { chunks } = await twoNode("values");
    expect(chunks).toStrictEqual([
      START,
      { event: "values", data: { value: [] } },
      { event: "values", data: { value: ["first"] } },
      { event: "values", data: { value: ["first", "second"] } },
    ]);
  });

  it("updates: {node: update} per node", async () => {
    const { chunks } = await twoNode("updates");
    expect(chunks).toStrictEqual([
      START,
      { event: "updates", data: { first: { value: ["first"] } } },
      { event: "updates", data: { second: { value: ["second"] } } },
    ]);
  });

  it("messages-tuple, legacy messages, custom and tools: nothing from a graph without models, tools or writers", async () => {
    for (const mode of ["messages-tuple", "messages", "custom", "tools"]) {
      const { chunks } = await twoNode(mode);
      expect(chunks, mode).toStrictEqual([START]);
    }
  });

  it("tasks: start {id, name, input, triggers, interrupts, metadata}, then result {id, name, result, interrupts, error}", async () => {
    const { chunks } = await twoNode("tasks");
    expect(chunks).toStrictEqual([
      START,
      { event: "tasks", data: taskStart("<id:1>", "first", []) },
      { event: "tasks", data: taskResult("<id:1>", "first") },
      { event: "tasks", data: taskStart("<id:2>", "second", ["first"]) },
      { event: "tasks", data: taskResult("<id:2>", "second") },
    ]);
  });

  it("checkpoints: {values, metadata, next} per checkpoint", async () => {
    const { chunks } = await twoNode("checkpoints");
    expect(chunks).toStrictEqual([
      START,
      {
        event: "checkpoints",
        data: { values: { value: [] }, metadata: { source: "input", step: -1, parents: {} }, next: ["__start__"] },
      },
      {
        event: "checkpoints",
        data: { values: { value: [] }, metadata: { source: "loop", step: 0, parents: {} }, next: ["first"] },
      },
      {
        event: "checkpoints",
        data: { values: { value: ["first"] }, metadata: { source: "loop", step: 1, parents: {} }, next: ["second"] },
      },
      {
        event: "checkpoints",
        data: { values: { value: ["first", "second"] }, metadata: { source: "loop", step: 2, parents: {} }, next: [] },
      },
    ]);
  });

  it("debug: checkpoints with checkpoint/parent_checkpoint/parent_config, tasks and task results", async () => {
    const { chunks } = await twoNode("debug");
    const checkpoint = (
      step: number,
      id: string,
      parent: string | null,
      values: string[],
      next: string[],
      tasks: unknown[],
    ) => ({
      event: "debug",
      data: {
        step,
        type: "checkpoint",
        timestamp: "<timestamp>",
        payload: {
          config: runConfig(id),
          values: { value: values },
          metadata: { source: step < 0 ? "input" : "loop", step, parents: {} },
          next,
          tasks,
          checkpoint: checkpointRef(id),
          parent_checkpoint: parent ? checkpointRef(parent) : null,
          ...(parent ? { parent_config: runConfig(parent) } : {}),
        },
      },
    });
    const pending = (id: string, name: string) => ({ id, name, path: ["__pregel_pull", name], interrupts: [] });
    const task = (step: number, type: "task" | "task_result", payload: unknown) => ({
      event: "debug",
      data: { step, type, timestamp: "<timestamp>", payload },
    });
    expect(chunks).toStrictEqual([
      START,
      checkpoint(-1, "<id:1>", null, [], ["__start__"], [pending("<id:2>", "__start__")]),
      checkpoint(0, "<id:3>", "<id:1>", [], ["first"], [pending("<id:4>", "first")]),
      task(1, "task", taskStart("<id:4>", "first", [])),
      task(1, "task_result", taskResult("<id:4>", "first")),
      checkpoint(1, "<id:5>", "<id:3>", ["first"], ["second"], [pending("<id:6>", "second")]),
      task(2, "task", taskStart("<id:6>", "second", ["first"])),
      task(2, "task_result", taskResult("<id:6>", "second")),
      checkpoint(2, "<id:7>", "<id:5>", ["first", "second"], [], []),
    ]);
  });

  it("events: streamEvents v2 objects {event, data, name, tags, run_id, metadata}; the root run is the platform run", async () => {
    const { chunks } = await twoNode("events");
    const nodeMetadata = (step: number, name: string, taskId: string) => ({
      ...RUN_METADATA,
      langgraph_step: step,
      langgraph_node: name,
      langgraph_triggers: [`branch:to:${name}`],
      langgraph_path: ["__pregel_pull", name],
      langgraph_checkpoint_ns: `${name}:${taskId}`,
      checkpoint_ns: `${name}:${taskId}`,
    });
    expect(chunks).toStrictEqual([
      START,
      {
        event: "events",
        data: {
          event: "on_chain_start",
          data: { input: { value: [] } },
          name: "two_node",
          tags: [],
          run_id: "<run_id>",
          metadata: RUN_METADATA,
        },
      },
      {
        event: "events",
        data: {
          event: "on_chain_start",
          data: { input: { value: [] } },
          name: "first",
          tags: ["graph:step:1"],
          run_id: "<id:1>",
          metadata: nodeMetadata(1, "first", "<id:2>"),
        },
      },
      {
        event: "events",
        data: {
          event: "on_chain_end",
          data: { output: { value: ["first"] }, input: { value: [] } },
          run_id: "<id:1>",
          name: "first",
          tags: ["graph:step:1"],
          metadata: nodeMetadata(1, "first", "<id:2>"),
        },
      },
      {
        event: "events",
        data: {
          event: "on_chain_start",
          data: { input: { value: ["first"] } },
          name: "second",
          tags: ["graph:step:2"],
          run_id: "<id:3>",
          metadata: nodeMetadata(2, "second", "<id:4>"),
        },
      },
      {
        event: "events",
        data: {
          event: "on_chain_end",
          data: { output: { value: ["second"] }, input: { value: ["first"] } },
          run_id: "<id:3>",
          name: "second",
          tags: ["graph:step:2"],
          metadata: nodeMetadata(2, "second", "<id:4>"),
        },
      },
      {
        event: "events",
        data: {
          event: "on_chain_end",
          data: { output: { value: ["first", "second"] } },
          run_id: "<run_id>",
          name: "two_node",
          tags: [],
          metadata: RUN_METADATA,
        },
      },
    ]);
  });

  it("a combination interleaves the modes in LangGraph's order", async () => {
    const { chunks } = await twoNode(["values", "updates", "tasks", "checkpoints", "custom", "messages-tuple"]);
    const cp = (values: string[], source: string, step: number, next: string[]) => ({
      event: "checkpoints",
      data: { values: { value: values }, metadata: { source, step, parents: {} }, next },
    });
    expect(chunks).toStrictEqual([
      START,
      cp([], "input", -1, ["__start__"]),
      { event: "values", data: { value: [] } },
      cp([], "loop", 0, ["first"]),
      { event: "tasks", data: taskStart("<id:1>", "first", []) },
      { event: "updates", data: { first: { value: ["first"] } } },
      { event: "tasks", data: taskResult("<id:1>", "first") },
      { event: "values", data: { value: ["first"] } },
      cp(["first"], "loop", 1, ["second"]),
      { event: "tasks", data: taskStart("<id:2>", "second", ["first"]) },
      { event: "updates", data: { second: { value: ["second"] } } },
      { event: "tasks", data: taskResult("<id:2>", "second") },
      { event: "values", data: { value: ["first", "second"] } },
      cp(["first", "second"], "loop", 2, []),
    ]);
  });

  it("custom: what the node's writer emits, in order, before the node's update", async () => {
    const { chunks } = await streamRun("custom_events", {
      input: {},
      streamMode: ["custom", "updates"],
      config: { configurable: { count: 3 } },
    });
    expect(chunks).toStrictEqual([
      START,
      { event: "custom", data: { i: 0 } },
      { event: "custom", data: { i: 1 } },
      { event: "custom", data: { i: 2 } },
      { event: "updates", data: { emit: { emitted: 3 } } },
    ]);
  });

  it("on the wire: `event:`, one-line JSON `data:`, `id:` from 0, then `end`", async () => {
    const thread = await t.client.threads.create();
    const res = await fetch(`${t.url}/threads/${thread.thread_id}/runs/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "two_node", input: { value: [] }, stream_mode: ["values", "updates"] }),
    });
    expect(res.status).toBe(200);
    const runId = res.headers.get("content-location")!.split("/").at(-1)!;
    const body = (await res.text())
      .split(runId)
      .join("<run_id>")
      .split("\n")
      .filter((line) => !line.startsWith(":")) // heartbeats, should one slip in
      .join("\n");
    expect(body).toBe(
      [
        'event: metadata\ndata: {"run_id":"<run_id>","attempt":1}\nid: 0\n',
        'event: values\ndata: {"value":[]}\nid: 1\n',
        'event: updates\ndata: {"first":{"value":["first"]}}\nid: 2\n',
        'event: values\ndata: {"value":["first"]}\nid: 3\n',
        'event: updates\ndata: {"second":{"value":["second"]}}\nid: 4\n',
        'event: values\ndata: {"value":["first","second"]}\nid: 5\n',
        "",
      ].join("\n"),
    );
  });
});

const USER_TEXT = "hi you";
const REPLY = defaultOfflineReply(USER_TEXT);
const echoInput = { messages: [{ role: "user", content: USER_TEXT }] };

describe("messages", () => {
  it("legacy `messages`: messages/metadata once, messages/partial accumulating the text, then messages/complete", async () => {
    const { chunks } = await streamRun("echo", { input: echoInput, streamMode: "messages" });
    const tokens = splitTokens(REPLY);
    expect(chunks.map((c) => c.event)).toEqual([
      "metadata",
      "messages/complete", // the human input, from the state
      "messages/metadata",
      ...tokens.map(() => "messages/partial"),
      "messages/complete", // the model's answer, once it is in the state
    ]);
    expect(chunks[1].data).toStrictEqual([
      { content: USER_TEXT, additional_kwargs: {}, response_metadata: {}, id: "<id:1>", type: "human" },
    ]);

    const aiId = "threadgate-offline-<id:2>";
    expect(Object.keys(chunks[2].data)).toEqual([aiId]);
    expect(chunks[2].data[aiId].metadata).toMatchObject({
      ...RUN_METADATA,
      graph_id: "echo",
      ls_integration: "langchain_chat_model",
      langgraph_node: "agent",
      langgraph_step: 1,
      langgraph_checkpoint_ns: "agent:<id:3>",
      ls_provider: "OfflineChatModel",
      ls_model_type: "chat",
    });

    const partials = chunks.slice(3, 3 + tokens.length).map((c) => c.data);
    let text = "";
    partials.forEach((data, i) => {
      text += tokens[i];
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({ id: aiId, type: "ai", content: text, tool_calls: [], tool_call_chunks: [] });
    });
    expect(partials.at(-1)[0]).toStrictEqual({
      content: REPLY,
      additional_kwargs: {},
      response_metadata: { model_name: "threadgate-offline", finish_reason: "stop" },
      tool_call_chunks: [],
      tool_calls: [],
      id: aiId,
      usage_metadata: {
        input_tokens: 2,
        output_tokens: tokens.length,
        total_tokens: 2 + tokens.length,
        input_token_details: {},
        output_token_details: {},
      },
      invalid_tool_calls: [],
      type: "ai",
    });
    expect(chunks.at(-1)!.data).toStrictEqual([
      {
        id: aiId,
        content: REPLY,
        additional_kwargs: {},
        response_metadata: { model_name: "threadgate-offline", finish_reason: "stop" },
        tool_calls: [],
        invalid_tool_calls: [],
        usage_metadata: {
          input_tokens: 2,
          output_tokens: tokens.length,
          total_tokens: 2 + tokens.length,
          input_token_details: {},
          output_token_details: {},
        },
        type: "ai",
      },
    ]);
  });

  it("legacy `messages` works alongside `values`, which streams as usual", async () => {
    const { chunks } = await streamRun("echo", { input: echoInput, streamMode: ["messages", "values"] });
    const names = chunks.map((c) => c.event).filter((e) => e !== "messages/partial");
    expect(names).toEqual([
      "metadata",
      "values",
      "messages/complete",
      "messages/metadata",
      "values",
      "messages/complete",
    ]);
    const values = chunks.filter((c) => c.event === "values").map((c) => c.data.messages.map((m: any) => m.type));
    expect(values).toEqual([["human"], ["human", "ai"]]);
  });

  it("messages-tuple and legacy messages together: each token once per mode, no double counting", async () => {
    const { chunks } = await streamRun("echo", {
      input: echoInput,
      streamMode: ["messages-tuple", "messages", "values"],
    });
    const tokens = splitTokens(REPLY);
    const of = (name: string) => chunks.filter((c) => c.event === name).map((c) => c.data);

    const tuples = of("messages");
    expect(tuples.map(([chunk]) => chunk.content)).toEqual(tokens);
    expect(new Set(tuples.map(([chunk]) => chunk.id))).toEqual(new Set(["threadgate-offline-<id:2>"]));
    expect(tuples.every(([, meta]) => meta.langgraph_node === "agent")).toBe(true);

    const partials = of("messages/partial").map(([m]) => m.content);
    expect(partials).toEqual(tokens.map((_, i) => tokens.slice(0, i + 1).join("")));
    expect(of("messages/metadata")).toHaveLength(1);
    expect(of("messages/complete").map((list) => list.map((m: any) => [m.type, m.content]))).toEqual([
      [["human", USER_TEXT]],
      [["ai", REPLY]],
    ]);
    expect(of("values").at(-1).messages).toHaveLength(2);
  });

  it("`events` carries the chat model's callbacks; on_chat_model_stream chunks add up to the reply", async () => {
    const { chunks, runId, raw } = await streamRun("echo", { input: echoInput, streamMode: "events" });
    const events = chunks.filter((c) => c.event === "events").map((c) => c.data);
    expect(events[0]).toMatchObject({ event: "on_chain_start", name: "echo", run_id: "<run_id>" });
    expect(events.at(-1)).toMatchObject({ event: "on_chain_end", name: "echo", run_id: "<run_id>" });
    expect(raw[1].data.run_id).toBe(runId);
    const kinds = events.map((e) => e.event);
    expect(kinds).toEqual([
      "on_chain_start",
      "on_chain_start",
      "on_chat_model_start",
      ...splitTokens(REPLY).map(() => "on_chat_model_stream"),
      "on_chat_model_end",
      "on_chain_end",
      "on_chain_end",
    ]);
    const streamed = events.filter((e) => e.event === "on_chat_model_stream").map((e) => e.data.chunk.content);
    expect(streamed.join("")).toBe(REPLY);
    expect(chunks.map((c) => c.event).filter((e) => e !== "events")).toEqual(["metadata"]);
  });

  it("`events` tagged langsmith:hidden are dropped; the requested modes still stream", async () => {
    const { chunks } = await twoNode(["events", "values"], { config: { tags: ["langsmith:hidden"] } });
    expect(chunks.map((c) => c.event)).toEqual(["metadata", "values", "values", "values"]);
  });
});

describe("subgraphs", () => {
  it("with stream_subgraphs, a subgraph's events are named `mode|node:<task id>`", async () => {
    const { chunks } = await streamRun("subgraph", {
      input: { value: [] },
      streamMode: ["values", "updates"],
      streamSubgraphs: true,
    });
    expect(chunks).toStrictEqual([
      START,
      { event: "values", data: { value: [] } },
      { event: "values|child:<id:1>", data: { value: [] } },
      { event: "updates|child:<id:1>", data: { inner: { value: ["inner"] } } },
      { event: "values|child:<id:1>", data: { value: ["inner"] } },
      { event: "updates", data: { child: { value: ["inner"] } } },
      { event: "values", data: { value: ["inner"] } },
    ]);
  });

  it("the namespace of a subgraph event is the task that ran it", async () => {
    const { raw } = await streamRun("subgraph", {
      input: { value: [] },
      streamMode: ["tasks", "values"],
      streamSubgraphs: true,
    });
    const childTask = raw.find((c) => c.event === "tasks" && c.data.name === "child")!.data.id;
    const nested = raw.filter((c) => c.event.includes("|")).map((c) => c.event);
    expect(nested.length).toBeGreaterThan(0);
    expect(new Set(nested)).toEqual(new Set([`values|child:${childTask}`, `tasks|child:${childTask}`]));
  });

  it("with stream_subgraphs + events, the subgraph's chunks are named and every mode streams as without events", async () => {
    const plain = await streamRun("subgraph", { input: { value: [] }, streamMode: ["values"], streamSubgraphs: true });
    let events = 0;
    const withEvents = await streamRun(
      "subgraph",
      { input: { value: [] }, streamMode: ["values", "events"], streamSubgraphs: true },
      (chunk) => (chunk.event === "events" ? (events++, false) : true),
    );
    expect(events).toBeGreaterThan(0);
    expect(withEvents.chunks).toStrictEqual(plain.chunks);
    expect(plain.chunks.map((c) => c.event)).toContain("values|child:<id:1>");
  });

  it("debug: a pending subgraph task points at the subgraph's checkpoint namespace (state → checkpoint)", async () => {
    const { chunks } = await streamRun("subgraph", { input: { value: [] }, streamMode: "debug" });
    const step0 = chunks.find((c) => c.data?.type === "checkpoint" && c.data.step === 0)!.data.payload;
    expect(step0.next).toEqual(["child"]);
    expect(step0.tasks).toStrictEqual([
      {
        id: "<id:4>",
        name: "child",
        path: ["__pregel_pull", "child"],
        interrupts: [],
        checkpoint: {
          thread_id: "<thread_id>",
          checkpoint_id: null,
          checkpoint_ns: "child:<id:4>",
          checkpoint_map: null,
        },
      },
    ]);
    // No internal (`__pregel_*`) configurable keys or callbacks leak into a streamed config.
    const configs = chunks
      .filter((c) => c.data?.type === "checkpoint")
      .flatMap((c) => [c.data.payload.config, c.data.payload.parent_config].filter(Boolean));
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      expect(Object.keys(config.configurable).filter((k) => k.startsWith("__"))).toEqual([]);
      expect(config).not.toHaveProperty("callbacks");
    }
  });

  it("without stream_subgraphs, only the root graph's events", async () => {
    const { chunks } = await streamRun("subgraph", {
      input: { value: [] },
      streamMode: ["values", "updates", "tasks"],
    });
    expect(chunks.map((c) => c.event)).toEqual(["metadata", "values", "tasks", "updates", "tasks", "values"]);
  });
});

describe("interrupts", () => {
  it("a graph stopping at interrupt() ends `values` (and `updates`) with __interrupt__", async () => {
    const { chunks, threadId } = await streamRun("interrupt", { input: {}, streamMode: ["values", "updates"] });
    const interrupt = [{ id: "<id:1>", value: { question: "approve?" } }];
    expect(chunks).toStrictEqual([
      START,
      { event: "updates", data: { __interrupt__: interrupt } },
      { event: "values", data: { __interrupt__: interrupt } },
    ]);
    expect((await t.client.threads.get(threadId)).status).toBe("interrupted");
  });

  it("interrupt_before ends `values` with an empty __interrupt__", async () => {
    const { chunks, threadId } = await twoNode(["values"], { interruptBefore: ["second"] });
    expect(chunks).toStrictEqual([
      START,
      { event: "values", data: { value: [] } },
      { event: "values", data: { value: ["first"] } },
      { event: "values", data: { __interrupt__: [] } },
    ]);
    const state = await t.client.threads.getState(threadId);
    expect(state.next).toEqual(["second"]);
  });

  it("interrupt_after does the same through the streamEvents path", async () => {
    const { chunks } = await twoNode(["values", "events"], { interruptAfter: ["first"] });
    expect(chunks.filter((c) => c.event !== "events")).toStrictEqual([
      START,
      { event: "values", data: { value: [] } },
      { event: "values", data: { value: ["first"] } },
      { event: "values", data: { __interrupt__: [] } },
    ]);
  });
});

describe("unknown stream modes", () => {
  it("are ignored: 200, and the known modes' events", async () => {
    const thread = await t.client.threads.create();
    const res = await fetch(`${t.url}/threads/${thread.thread_id}/runs/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "two_node", input: { value: [] }, stream_mode: ["lifecycle", "updates"] }),
    });
    expect(res.status).toBe(200);
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    parser.feed(await res.text());
    expect(events.map((e) => e.event)).toEqual(["metadata", "updates", "updates"]);
    expect(events.map((e) => JSON.parse(e.data)).slice(1, 3)).toEqual([
      { first: { value: ["first"] } },
      { second: { value: ["second"] } },
    ]);
  });

  it("a run with only unknown modes still runs, streaming nothing but metadata", async () => {
    const { chunks, threadId } = await twoNode(["lifecycle"]);
    expect(chunks).toStrictEqual([START]);
    const state = await t.client.threads.getState<{ value: string[] }>(threadId);
    expect(state.values).toEqual({ value: ["first", "second"] });
  });
});
