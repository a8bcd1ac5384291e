/**
 * Stream modes: which modes a request asked for, which LangGraph modes that
 * needs, and how each chunk is named on the SSE wire.
 */
import type { Logger } from "../logger.ts";

/** Modes LangGraph streams natively, under the same SSE event name. */
const NATIVE_MODES = ["values", "updates", "custom", "debug", "tasks", "checkpoints", "tools"] as const;
type NativeMode = (typeof NATIVE_MODES)[number];
export type GraphStreamMode = NativeMode | "messages";

export interface ResolvedStreamModes {
  /** The modes as accepted (stored on the run). */
  requested: string[];
  /** What to ask LangGraph for. */
  graphModes: GraphStreamMode[];
}

export function resolveStreamModes(raw: unknown, logger: Logger): ResolvedStreamModes {
  const list = raw === undefined || raw === null ? ["values"] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
  const requested: string[] = [];
  const graphModes = new Set<GraphStreamMode>();
  for (const mode of list) {
    if ((NATIVE_MODES as readonly string[]).includes(mode)) {
      graphModes.add(mode as NativeMode);
      requested.push(mode);
    } else if (mode === "messages-tuple") {
      graphModes.add("messages");
      requested.push(mode);
    } else {
      // New SDKs add modes; refusing them would break those clients, so skip with a warning.
      logger.warn({ stream_mode: mode }, "ignoring unsupported stream mode");
    }
  }
  return { requested, graphModes: [...graphModes] };
}

/** SSE event name for a LangGraph chunk: the mode (messages-tuple → `messages`), `|ns` for subgraphs. */
export function eventName(mode: GraphStreamMode, namespace: readonly string[]): string {
  return namespace.length === 0 ? mode : `${mode}|${namespace.join("|")}`;
}

/** LangGraph yields `[mode, chunk]`, or `[namespace, mode, chunk]` when subgraphs are streamed. */
export function splitChunk(chunk: unknown): { namespace: string[]; mode: GraphStreamMode; payload: unknown } {
  const parts = chunk as unknown[];
  if (parts.length === 3)
    return { namespace: parts[0] as string[], mode: parts[1] as GraphStreamMode, payload: parts[2] };
  return { namespace: [], mode: parts[0] as GraphStreamMode, payload: parts[1] };
}
