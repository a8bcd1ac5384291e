/**
 * Turns one LangGraph execution into LangGraph Platform stream events.
 * The executor calls `streamGraph` and publishes what it yields; the mapping
 * from LangGraph chunks to SSE event names and payloads lives here.
 */
import type { RunnableGraph } from "./graph-registry.ts";
import { eventName, splitChunk, type GraphStreamMode } from "./stream-modes.ts";

export interface GraphStreamOptions {
  /** Options passed to `graph.stream` (config, signal, callbacks, ...), without streamMode/subgraphs. */
  options: Record<string, unknown>;
  graphModes: GraphStreamMode[];
  subgraphs: boolean;
}

export interface PlatformEvent {
  event: string;
  data: unknown;
}

export async function* streamGraph(
  graph: RunnableGraph,
  input: unknown,
  { options, graphModes, subgraphs }: GraphStreamOptions,
): AsyncGenerator<PlatformEvent> {
  const stream = await graph.stream(input, { ...options, streamMode: graphModes, subgraphs });
  for await (const chunk of stream) {
    const { namespace, mode, payload } = splitChunk(chunk);
    yield { event: eventName(mode, namespace), data: payload };
  }
}
