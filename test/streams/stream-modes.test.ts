/**
 * Every stream mode, pinned to the LangGraph Platform wire format: the exact
 * sequence of SSE event names and payloads, through the official SDK (and raw
 * bytes where they matter). Only what is inherently random is normalised:
 * ids (thread, run, assistant, checkpoints, tasks, messages, interrupts) and
 * timestamps become placeholders; everything else is compared as is.
 *
 * The modes on graphs without models (two_node, custom_events), interrupts and unknown modes; the model
 * modes are in stream-modes-messages.test.ts, subgraphs in stream-modes-subgraphs.test.ts.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import {
  START,
  RUN_METADATA,
  runConfig,
  checkpointRef,
  taskStart,
  taskResult,
  streamModeHelpers,
} from "./stream-modes-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const { streamRun, twoNode } = streamModeHelpers(() => t);

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
