/**
 * Stream modes: which modes a request asked for, which LangGraph modes and
 * which LangGraph call (`graph.stream` or `graph.streamEvents`) that needs,
 * and how each chunk is named on the SSE wire.
 *
 * Platform mode → LangGraph:
 * - `values`, `updates`, `custom`, `debug`, `tasks`, `checkpoints`, `tools`: the LangGraph mode of the same name;
 * - `messages-tuple`: LangGraph `messages` (SSE event name `messages`, data `[chunk, metadata]`);
 * - `messages` (legacy): built from `on_chat_model_stream` callbacks plus LangGraph `values`;
 * - `events`: the `streamEvents` v2 objects themselves.
 * The last two need `graph.streamEvents`; everything else runs on the cheaper `graph.stream`.
 */
import type { Logger } from "../../logger.ts";
import type { Assert, Equals, Schema } from "../../contract.ts";

/** Every stream mode the server knows, as named in requests: the spec's StreamMode, each handled below. */
export const STREAM_MODES = [
  "values",
  "updates",
  "messages",
  "messages-tuple",
  "events",
  "debug",
  "custom",
  "tasks",
  "checkpoints",
  "tools",
] as const satisfies readonly Schema<"StreamMode">[];
export type StreamMode = (typeof STREAM_MODES)[number];
// A mode the spec adds is missing from the list above (and from planGraphStream) until it is handled.
type _EveryStreamModeOfTheSpec = Assert<Equals<StreamMode, Schema<"StreamMode">>>;

/**
 * A known stream mode of a run, as requested (platform name). `streamGraph`
 * turns these into the modes LangGraph is asked for (see `planGraphStream`).
 */
export type GraphStreamMode = StreamMode;

/** Modes LangGraph itself streams (its `streamMode` option). */
export type LangGraphMode = "values" | "updates" | "messages" | "custom" | "debug" | "tasks" | "checkpoints" | "tools";

export interface ResolvedStreamModes {
  /** The modes as accepted (stored on the run). */
  requested: string[];
  /** The known modes, deduplicated, in request order. */
  graphModes: GraphStreamMode[];
}

const KNOWN = new Set<string>(STREAM_MODES);

export function resolveStreamModes(raw: unknown, logger: Logger): ResolvedStreamModes {
  const list = raw === undefined || raw === null ? ["values"] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
  const requested: string[] = [];
  const graphModes = new Set<GraphStreamMode>();
  for (const mode of list) {
    if (KNOWN.has(mode)) {
      graphModes.add(mode as GraphStreamMode);
      requested.push(mode);
    } else {
      // New SDKs add modes; refusing them would break those clients, so skip with a warning.
      logger.warn({ stream_mode: mode }, "ignoring unsupported stream mode");
    }
  }
  return { requested, graphModes: [...graphModes] };
}

export interface GraphStreamPlan {
  /** What to pass as LangGraph's `streamMode`. */
  libModes: LangGraphMode[];
  /** LangGraph modes whose chunks go on the wire (a subset of `libModes`). */
  emit: ReadonlySet<string>;
  /** `graph.streamEvents` is needed (for `events` or legacy `messages`). */
  viaEvents: boolean;
  /** Forward `streamEvents` objects as `events`. */
  events: boolean;
  /** Build the legacy `messages/*` events. */
  legacyMessages: boolean;
}

/** How to run the graph for a run's stream modes. */
export function planGraphStream(modes: readonly string[]): GraphStreamPlan {
  const emit = new Set<LangGraphMode>();
  let events = false;
  let legacyMessages = false;
  for (const mode of modes) {
    if (mode === "events") events = true;
    else if (mode === "messages") legacyMessages = true;
    else if (mode === "messages-tuple") emit.add("messages");
    else if (KNOWN.has(mode)) emit.add(mode as LangGraphMode);
  }
  const libModes = new Set(emit);
  // Legacy `messages/complete` comes from the messages in the state's `values`.
  if (legacyMessages) libModes.add("values");
  return { libModes: [...libModes], emit, viaEvents: events || legacyMessages, events, legacyMessages };
}

/** One event of a run's stream as clients get it: its SSE event name and its payload (not serialised yet). */
export interface PlatformEvent {
  event: string;
  data: unknown;
}

/** SSE event name for a LangGraph chunk: the mode, `|`-joined namespace for subgraphs (`values|child:<task id>`). */
export function eventName(mode: string, namespace: readonly string[] | null | undefined): string {
  return namespace == null || namespace.length === 0 ? mode : `${mode}|${namespace.join("|")}`;
}
