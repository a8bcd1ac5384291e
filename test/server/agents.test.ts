/**
 * Unit tests for the bundled agents, the offline chat model and the test
 * graphs under test/graphs. A MemorySaver is used here only; the server
 * injects its own checkpointer.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AIMessage, AIMessageChunk, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { Command, MemorySaver } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { graph as chatAgent } from "../../src/agents/chat-agent.ts";
import { createChatModel } from "../../src/agents/model.ts";
import {
  OFFLINE_MODEL_NAME,
  OfflineChatModel,
  defaultOfflineReply,
  splitTokens,
} from "../../src/agents/offline-chat-model.ts";
import { graph as customEventsGraph } from "../graphs/custom_events.ts";
import { graph as echoGraph } from "../graphs/echo.ts";
import { graph as failGraph } from "../graphs/fail.ts";
import { graph as interruptGraph } from "../graphs/interrupt.ts";
import { graph as slowGraph } from "../graphs/slow.ts";
import { graph as subgraphGraph } from "../graphs/subgraph.ts";
import { graph as twoNodeGraph } from "../graphs/two_node.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");

let n = 0;
const threadConfig = () => ({ configurable: { thread_id: `thread-${++n}` } });

function lastAi(messages: BaseMessage[]): AIMessage {
  const last = messages.at(-1);
  expect(last).toBeDefined();
  expect(last!.type).toBe("ai");
  return last as AIMessage;
}

beforeEach(() => {
  vi.stubEnv("OPENAI_API_KEY", "");
  vi.stubEnv("THREADGATE_OFFLINE_TOKEN_DELAY_MS", "0");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("OfflineChatModel", () => {
  it("splits on word boundaries keeping whitespace", () => {
    expect(splitTokens("a  b c ")).toEqual(["a  ", "b ", "c "]);
    expect(splitTokens(" lead")).toEqual([" ", "lead"]);
    expect(splitTokens("x y z").join("")).toBe("x y z");
  });

  it("invoke replies deterministically with usage and model name", async () => {
    const model = new OfflineChatModel();
    const msg = await model.invoke([new HumanMessage("first"), new AIMessage("ok"), new HumanMessage("hi there")]);
    expect(msg.content).toBe(defaultOfflineReply("hi there"));
    expect(msg.id).toMatch(/^threadgate-offline-/);
    expect(msg.usage_metadata).toMatchObject({ input_tokens: 4, output_tokens: 9, total_tokens: 13 });
    expect(msg.response_metadata.model_name).toBe(OFFLINE_MODEL_NAME);
  });

  it("supports a custom reply", async () => {
    const model = new OfflineChatModel({ reply: (t) => t.toUpperCase() });
    const msg = await model.invoke("shout this");
    expect(msg.content).toBe("SHOUT THIS");
  });

  it("streams token chunks sharing one id; usage only on the last chunk", async () => {
    const model = new OfflineChatModel({ delayMs: 1 });
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream("hello world")) chunks.push(chunk);
    const reply = defaultOfflineReply("hello world");
    expect(chunks.length).toBe(splitTokens(reply).length);
    expect(chunks.map((c) => c.content).join("")).toBe(reply);
    const ids = new Set(chunks.map((c) => c.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^threadgate-offline-/);
    expect(chunks.slice(0, -1).every((c) => c.usage_metadata === undefined)).toBe(true);
    expect(chunks.at(-1)!.usage_metadata).toMatchObject({ input_tokens: 2, output_tokens: 9, total_tokens: 11 });
    expect(chunks.at(-1)!.response_metadata.model_name).toBe(OFFLINE_MODEL_NAME);
  });

  it("stops streaming promptly when aborted", async () => {
    const model = new OfflineChatModel({ delayMs: 100 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const started = Date.now();
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of await model.stream("a b c d e f", { signal: ac.signal }))
          seen.push(String(chunk.content));
      })(),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(500);
    expect(seen.length).toBeLessThan(splitTokens(defaultOfflineReply("a b c d e f")).length);
  });
});

describe("createChatModel", () => {
  it("returns the offline model without OPENAI_API_KEY", () => {
    const model = createChatModel({ THREADGATE_OFFLINE_TOKEN_DELAY_MS: "7" });
    expect(model).toBeInstanceOf(OfflineChatModel);
    expect((model as OfflineChatModel).delayMs).toBe(7);
    expect((createChatModel({}) as OfflineChatModel).delayMs).toBe(20);
  });

  it("returns ChatOpenAI when OPENAI_API_KEY is set", () => {
    const model = createChatModel({
      OPENAI_API_KEY: "sk-test",
      THREADGATE_MODEL: "my-model",
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    });
    expect(model).toBeInstanceOf(ChatOpenAI);
    const openai = model as ChatOpenAI;
    expect(openai.model).toBe("my-model");
    expect(openai.streamUsage).toBe(true);
  });
});

describe("chat agent graph", () => {
  it("answers deterministically with the offline model", async () => {
    const graph = chatAgent;
    graph.checkpointer = new MemorySaver();
    const config = threadConfig();
    const out = await graph.invoke({ messages: [new HumanMessage("hello")] }, config);
    expect(out.messages).toHaveLength(2);
    const ai = lastAi(out.messages);
    expect(ai.content).toBe(defaultOfflineReply("hello"));
    expect(ai.usage_metadata).toMatchObject({ input_tokens: 1, output_tokens: 8, total_tokens: 9 });
    expect(ai.response_metadata.model_name).toBe(OFFLINE_MODEL_NAME);

    // Second turn on the same thread sees the history from the checkpoint.
    const out2 = await graph.invoke({ messages: [new HumanMessage("again")] }, config);
    expect(out2.messages).toHaveLength(4);
    expect(lastAi(out2.messages).content).toBe(defaultOfflineReply("again"));
  });

  it("streams messages mode chunks with one stable id that concatenate to the reply", async () => {
    const graph = chatAgent;
    graph.checkpointer = new MemorySaver();
    const config = threadConfig();
    const chunks: { id: string | undefined; content: string; node: unknown }[] = [];
    for await (const [chunk, meta] of await graph.stream(
      { messages: [new HumanMessage("stream me")] },
      { ...config, streamMode: "messages" },
    )) {
      chunks.push({ id: chunk.id, content: String(chunk.content), node: meta.langgraph_node });
    }
    const reply = defaultOfflineReply("stream me");
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.content).join("")).toBe(reply);
    const ids = new Set(chunks.map((c) => c.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(typeof id).toBe("string");
    expect(id!.length).toBeGreaterThan(0);
    expect(chunks.every((c) => c.node === "agent")).toBe(true);

    // The persisted final message: same id, usage and model name.
    const state = await graph.getState(config);
    const ai = lastAi(state.values.messages);
    expect(ai.id).toBe(id);
    expect(ai.content).toBe(reply);
    expect(ai.usage_metadata).toMatchObject({ input_tokens: 2, output_tokens: 9, total_tokens: 11 });
    expect(ai.response_metadata.model_name).toBe(OFFLINE_MODEL_NAME);
  });
});

describe("test graphs", () => {
  it("echo replies with the offline model", async () => {
    const out = await echoGraph.invoke({ messages: [new HumanMessage("ping")] });
    expect(lastAi(out.messages).content).toBe(defaultOfflineReply("ping"));
  });

  it("slow aborts promptly and keeps the completed steps in the checkpoint", async () => {
    const graph = slowGraph;
    graph.checkpointer = new MemorySaver();
    const config = { configurable: { thread_id: `slow-${++n}`, total_steps: 20, step_ms: 200 } };
    const ac = new AbortController();
    const custom: unknown[] = [];
    setTimeout(() => ac.abort(), 500);
    let abortedAt = 0;
    ac.signal.addEventListener("abort", () => (abortedAt = Date.now()));
    await expect(
      (async () => {
        for await (const [mode, chunk] of await graph.stream(
          { input: "go" },
          { ...config, signal: ac.signal, streamMode: ["updates", "custom"] },
        )) {
          if (mode === "custom") custom.push(chunk);
        }
      })(),
    ).rejects.toThrow(/abort/i);
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(1000);

    const state = await graph.getState({ configurable: { thread_id: config.configurable.thread_id } });
    const steps = state.values.steps as string[];
    expect(steps.length).toBeGreaterThanOrEqual(1);
    expect(steps.length).toBeLessThan(20);
    expect(steps).toEqual(steps.map((_, i) => `step-${i + 1}`));
    expect(state.values.input).toBe("go");
    expect(state.next).toEqual(["step"]);
    expect(custom).toEqual(steps.map((_, i) => ({ step: i + 1 })));
  });

  it("slow runs to completion with configurable total_steps", async () => {
    const out = await slowGraph.invoke({}, { configurable: { thread_id: `slow-${++n}`, total_steps: 3, step_ms: 1 } });
    expect(out.steps).toEqual(["step-1", "step-2", "step-3"]);
  });

  it("interrupt stops with an interrupt and resumes with Command", async () => {
    const graph = interruptGraph;
    graph.checkpointer = new MemorySaver();
    const config = threadConfig();
    const first = await graph.invoke({}, config);
    // `__interrupt__` is added to invoke() output but not to the state type.
    expect((first as Record<string, unknown>).__interrupt__).toEqual([
      expect.objectContaining({ value: { question: "approve?" } }),
    ]);
    const pending = await graph.getState(config);
    expect(pending.next).toEqual(["ask"]);
    expect(pending.tasks[0]?.interrupts[0]?.value).toEqual({ question: "approve?" });

    const resumed = await graph.invoke(new Command({ resume: "yes" }), config);
    expect(resumed.answer).toBe("yes");
    expect((await graph.getState(config)).next).toEqual([]);
  });

  it("two_node streams a deterministic update sequence", async () => {
    const updates: unknown[] = [];
    for await (const u of await twoNodeGraph.stream({ value: [] }, { streamMode: "updates" })) updates.push(u);
    expect(updates).toEqual([{ first: { value: ["first"] } }, { second: { value: ["second"] } }]);
  });

  it("fail throws Error('boom')", async () => {
    await expect(failGraph.invoke({})).rejects.toThrow(/^boom$/);
  });

  it("custom_events emits configurable.count custom events", async () => {
    const events: unknown[] = [];
    for await (const e of await customEventsGraph.stream({}, { streamMode: "custom", configurable: { count: 5 } })) {
      events.push(e);
    }
    expect(events).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));
    let defaultCount = 0;
    for await (const _ of await customEventsGraph.stream({}, { streamMode: "custom" })) defaultCount++;
    expect(defaultCount).toBe(100);
  });

  it("subgraph streams inner updates under a child namespace", async () => {
    const seen: [string[], unknown][] = [];
    for await (const [ns, update] of await subgraphGraph.stream(
      { value: [] },
      { streamMode: "updates", subgraphs: true },
    )) {
      seen.push([ns, update]);
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]![0]).toHaveLength(1);
    expect(seen[0]![0][0]).toMatch(/^child:/);
    expect(seen[0]![1]).toEqual({ inner: { value: ["inner"] } });
    expect(seen[1]).toEqual([[], { child: { value: ["inner"] } }]);
  });
});

describe("langgraph.json registrations", () => {
  async function loadAll(configPath: string): Promise<Record<string, unknown>> {
    const spec = JSON.parse(readFileSync(configPath, "utf8")) as { graphs: Record<string, string> };
    const loaded: Record<string, unknown> = {};
    for (const [id, ref] of Object.entries(spec.graphs)) {
      const idx = ref.lastIndexOf(":");
      const file = resolve(dirname(configPath), ref.slice(0, idx));
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      loaded[id] = mod[ref.slice(idx + 1)];
    }
    return loaded;
  }

  it("root langgraph.json registers the chat agent", async () => {
    const graphs = await loadAll(resolve(root, "langgraph.json"));
    expect(Object.keys(graphs)).toEqual(["agent"]);
    expect(graphs.agent).toBe(chatAgent);
  });

  it("test/graphs/langgraph.json modules load as compiled graphs (or factories of them)", async () => {
    const graphs = await loadAll(resolve(here, "../graphs/langgraph.json"));
    expect(Object.keys(graphs).sort()).toEqual(
      [
        "configured",
        "countdown",
        "custom_events",
        "echo",
        "fail",
        "gate",
        "interrupt",
        "memory",
        "slow",
        "studio",
        "studio_annotation",
        "subgraph",
        "tracked",
        "two_node",
        "unstorable",
        "where",
      ].sort(),
    );
    for (const [id, g] of Object.entries(graphs)) {
      const graph = (typeof g === "function" ? g({}) : g) as { invoke?: unknown; stream?: unknown; getState?: unknown };
      expect(typeof graph.invoke, id).toBe("function");
      expect(typeof graph.stream, id).toBe("function");
      expect(typeof graph.getState, id).toBe("function");
    }
  });
});
