/**
 * Turns one LangGraph execution into LangGraph Platform stream events.
 * The executor calls `streamGraph` and publishes what it yields; the mapping
 * from LangGraph chunks to SSE event names and payloads lives here.
 *
 * Two ways to run the graph, picked from the run's stream modes:
 * - `graph.stream` (the default, cheapest): every chunk is one event, named by
 *   its mode (`|ns` for subgraphs); only `debug`, `tasks` and `checkpoints`
 *   payloads are reshaped.
 * - `graph.streamEvents` v2, when `events` or legacy `messages` is requested
 *   (as the LangGraph JS API server does): the root run's `on_chain_stream`
 *   events carry the graph's mode chunks; every other event is an `events`
 *   event, and `on_chat_model_stream` + root `values` feed legacy `messages`.
 */
import { randomUUID } from "node:crypto";
import { STREAM_EVENTS_V3_MODES, convertToProtocolEvent, type StreamMode } from "@langchain/langgraph";
import type { RunnableGraph } from "./registry.ts";
import {
  eventName,
  planGraphStream,
  type GraphStreamMode,
  type GraphStreamPlan,
  type PlatformEvent,
} from "../streams/modes.ts";
import { LegacyMessages } from "../streams/messages.ts";
import { PAYLOAD_MAPPERS } from "../streams/payloads.ts";

export interface GraphStreamOptions {
  /** Options for the LangGraph call (config, signal, callbacks, ...), without streamMode/subgraphs. */
  options: Record<string, unknown>;
  /** The run's (known) stream modes, as requested: `values`, `messages-tuple`, `events`, ... */
  graphModes: readonly GraphStreamMode[];
  subgraphs: boolean;
  /** Protocol v2's events (LangGraph's own `version: "v3"` stream) instead of the platform's modes. */
  protocol?: boolean;
}

/** A LangChain `streamEvents` v2 event. */
interface StreamEvent {
  event: string;
  name: string;
  run_id: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  data: { chunk?: unknown; [key: string]: unknown };
}

type EventStreamingGraph = RunnableGraph & {
  streamEvents(input: unknown, options: Record<string, unknown>): AsyncIterable<StreamEvent>;
};

const HIDDEN_TAG = "langsmith:hidden";

export async function* streamGraph(
  graph: RunnableGraph,
  input: unknown,
  { options, graphModes, subgraphs, protocol }: GraphStreamOptions,
): AsyncGenerator<PlatformEvent> {
  const plan = planGraphStream(graphModes);
  const callOptions: Record<string, unknown> = {};
  for (const key in options) if (options[key] !== undefined) callOptions[key] = options[key];
  // The graph's root run is the platform run: its `events` carry the run id, as on LangGraph Platform.
  const configurable = options.configurable as { run_id?: unknown } | undefined;
  const runId =
    (callOptions.runId as string | undefined) ??
    (typeof configurable?.run_id === "string" ? configurable.run_id : randomUUID());
  callOptions.runId = runId;
  if (protocol) {
    yield* viaProtocol(graph, input, callOptions);
    return;
  }
  callOptions.streamMode = plan.libModes;
  callOptions.subgraphs = subgraphs;
  if (plan.viaEvents) {
    if (typeof (graph as Partial<EventStreamingGraph>).streamEvents !== "function")
      throw new Error("this graph cannot stream events (no streamEvents)");
    yield* viaStreamEvents(graph as EventStreamingGraph, input, callOptions, plan, subgraphs, runId);
  } else if (subgraphs) {
    yield* viaStreamWithNamespaces(graph, input, callOptions);
  } else {
    yield* viaStream(graph, input, callOptions);
  }
}

/** `graph.stream` without subgraphs: chunks are `[mode, payload]`. */
async function* viaStream(
  graph: RunnableGraph,
  input: unknown,
  callOptions: Record<string, unknown>,
): AsyncGenerator<PlatformEvent> {
  const stream = await graph.stream(input, callOptions);
  for await (const chunk of eager(stream as AsyncIterable<[string, unknown]>)) {
    const mode = chunk[0];
    const map = PAYLOAD_MAPPERS[mode];
    yield { event: mode, data: map === undefined ? chunk[1] : map(chunk[1]) };
  }
}

/** `graph.stream` with subgraphs: chunks are `[namespace, mode, payload]`. */
async function* viaStreamWithNamespaces(
  graph: RunnableGraph,
  input: unknown,
  callOptions: Record<string, unknown>,
): AsyncGenerator<PlatformEvent> {
  const stream = await graph.stream(input, callOptions);
  for await (const chunk of eager(stream as AsyncIterable<[string[], string, unknown]>)) {
    const mode = chunk[1];
    const map = PAYLOAD_MAPPERS[mode];
    yield { event: eventName(mode, chunk[0]), data: map === undefined ? chunk[2] : map(chunk[2]) };
  }
}

/**
 * LangGraph's protocol stream (`version: "v3"`, every subgraph): each `[namespace, mode, payload]`
 * chunk becomes the protocol events LangGraph's own converter makes of it, named by their method,
 * the event's `params` as data. Messages come as LangGraph's message lifecycle events
 * (`message-start`, content blocks, `message-finish`).
 */
async function* viaProtocol(
  graph: RunnableGraph,
  input: unknown,
  callOptions: Record<string, unknown>,
): AsyncGenerator<PlatformEvent> {
  const options = { ...callOptions, version: "v3", streamMode: STREAM_EVENTS_V3_MODES, subgraphs: true };
  const stream = await graph.stream(input, options);
  for await (const [namespace, mode, payload] of eager(stream as AsyncIterable<[string[], StreamMode, unknown]>)) {
    for (const event of convertToProtocolEvent({ namespace, mode, payload, seq: 0 })) {
      yield { event: event.method, data: event.params };
    }
  }
}

/**
 * Reads `source` as fast as it produces, buffering for a slower consumer.
 * LangGraph's `graph.stream` is lazy, and when a node fails it errors its
 * internal stream, which drops chunks not read yet — among them the failed
 * task's `tasks`/`debug` result. Draining eagerly keeps them, as
 * `streamEvents` (which consumes the graph stream in its own loop) does.
 */
async function* eager<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let buffer: T[] = [];
  let finished = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  // Never rejects: a failure is handed to the consumer after the chunks before it.
  void (async () => {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        buffer.push(next.value);
        if (wake) signal();
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      signal();
    }
  })();
  try {
    for (;;) {
      if (buffer.length > 0) {
        const batch = buffer;
        buffer = [];
        for (let i = 0; i < batch.length; i++) {
          // Let go of each chunk as it is taken: a graph that floods its stream has all of it here at once.
          const chunk = batch[i];
          batch[i] = undefined as T;
          yield chunk;
        }
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure) throw (failure as { error: unknown }).error;
  } finally {
    // The consumer stopped early: ask the graph's stream to stop too (the run's AbortSignal is what cancels it).
    if (!finished) void iterator.return?.()?.catch(() => undefined);
  }
}

async function* viaStreamEvents(
  graph: EventStreamingGraph,
  input: unknown,
  callOptions: Record<string, unknown>,
  plan: GraphStreamPlan,
  subgraphs: boolean,
  rootRunId: string,
): AsyncGenerator<PlatformEvent> {
  const events = graph.streamEvents(input, { ...callOptions, version: "v2" });
  const legacy = plan.legacyMessages ? new LegacyMessages() : null;
  const pending: PlatformEvent[] = [];
  for await (const event of events) {
    if (event.event === "on_chain_stream" && event.run_id === rootRunId) {
      // The graph's own stream: `[mode, payload]`, or `[namespace, mode, payload]` with subgraphs.
      const chunk = event.data.chunk as unknown[];
      const namespace = subgraphs ? (chunk[0] as string[]) : null;
      const mode = chunk[subgraphs ? 1 : 0] as string;
      const payload = chunk[subgraphs ? 2 : 1];
      // Anything not asked for stays off the wire: the legacy mode's own `values`, and
      // the checkpoint envelopes LangGraph adds before `values` with subgraphs.
      if (plan.emit.has(mode)) {
        const map = PAYLOAD_MAPPERS[mode];
        yield { event: eventName(mode, namespace), data: map === undefined ? payload : map(payload) };
      }
      if (legacy && mode === "values" && (namespace === null || namespace.length === 0)) {
        const complete = legacy.onValues(payload);
        if (complete) yield complete;
      }
      continue;
    }

    // Hidden runs (internal plumbing) never reach `events` or legacy `messages`. The graph's own
    // mode chunks above are not filtered, so every mode streams the same with or without `events`.
    if (event.tags !== undefined && event.tags.includes(HIDDEN_TAG)) continue;
    if (plan.events) yield { event: "events", data: event };
    if (legacy && event.event === "on_chat_model_stream") {
      legacy.onChatModelStream(event, pending);
      for (const e of pending) yield e;
      pending.length = 0;
    }
  }
}
