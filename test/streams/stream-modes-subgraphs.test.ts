/**
 * Stream modes on a graph with a subgraph: `stream_subgraphs` names the subgraph's events `mode|node:<task id>`,
 * pinned to the LangGraph Platform wire format as stream-modes.test.ts explains.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { START, streamModeHelpers } from "./stream-modes-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const { streamRun } = streamModeHelpers(() => t);

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
