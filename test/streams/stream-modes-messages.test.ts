/**
 * The message modes (legacy `messages`, `messages-tuple`) and `events` on a graph with a chat model (echo),
 * pinned to the LangGraph Platform wire format as stream-modes.test.ts explains.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultOfflineReply, splitTokens } from "../../src/agents/offline-chat-model.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { RUN_METADATA, streamModeHelpers } from "./stream-modes-helpers.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const { streamRun, twoNode } = streamModeHelpers(() => t);

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
