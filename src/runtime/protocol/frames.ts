/**
 * A thread's stream (runtime/streams/thread-follow.ts) as protocol v2 events:
 * `{type: "event", event_id, seq, method, params: {namespace, timestamp, node?, data}}`.
 *
 * - A run started by `run.start` streams LangGraph's own protocol events (graphs/stream.ts): each
 *   stored event is one protocol event already (its name the method, its data the params).
 * - A run started through the classic API streams the platform's modes: its `values`, `updates`,
 *   `custom` and `tasks` events (of any subgraph, `mode|ns…`) become the events of those channels;
 *   the rest (message tuples, `events`, debug) has no protocol form here and is left out.
 * - Every run's first stored event (`metadata`) is its `lifecycle` `running`; after its log ends the
 *   run's end is told: `input.requested` for each interrupt it stopped at, then `lifecycle`
 *   `completed`, `interrupted` (an interrupt, or cancelled) or `failed` (with the error).
 *
 * Ids: `event_id` is `<run_id>:<seq>` (`<run_id>:end:<n>` for the end), the same on every read, so a
 * client that gets the retained events again on a reconnect recognises them. `seq` grows along the
 * thread: the run's place among the thread's runs times RUN_SEQ_SPAN, plus the event's own seq.
 */
import type { Json, RunRecord, ThreadRecord } from "../../stores/types.ts";
import type { ThreadStreamItem } from "../streams/thread-follow.ts";
import type { Namespace } from "./filter.ts";

/** Room in the thread's `seq` for one run's events (a run with more overlaps the next in `seq` only). */
export const RUN_SEQ_SPAN = 1_000_000;

/** One protocol event: what filters look at, and its wire JSON. */
export interface ProtocolFrame {
  eventId: string;
  seq: number;
  method: string;
  namespace: Namespace;
  data: unknown;
  json: string;
}

/** Whether the run streams protocol events itself (it was started by `run.start`). */
export function isProtocolRun(run: RunRecord): boolean {
  return (run.kwargs as { stream_protocol?: unknown }).stream_protocol === "v2";
}

const CLASSIC_CHANNELS = new Set(["values", "updates", "custom", "tasks"]);

function frame(
  eventId: string,
  seq: number,
  method: string,
  params: { namespace: Namespace; timestamp: number; node?: string; data: unknown },
  paramsJson?: string,
): ProtocolFrame {
  const json =
    `{"type":"event","event_id":${JSON.stringify(eventId)},"seq":${seq},"method":${JSON.stringify(method)},` +
    `"params":${paramsJson ?? JSON.stringify(params)}}`;
  return { eventId, seq, method, namespace: params.namespace, data: params.data, json };
}

/** What `end` needs to tell of a run: its thread's pending interrupts, when the run is the thread's latest. */
export type ThreadLookup = (threadId: string) => Promise<ThreadRecord | null>;

export async function framesOf(item: ThreadStreamItem, thread: ThreadLookup): Promise<ProtocolFrame[]> {
  const { run, index } = item;
  const base = index * RUN_SEQ_SPAN;
  if (item.kind === "end") return endFrames(run, base + item.lastSeq + 1, thread);
  const { seq, event, data } = item.event;
  const eventId = `${run.run_id}:${seq}`;
  if (event === "metadata") {
    return [frame(eventId, base + seq, "lifecycle", lifecycle(run, "running"))];
  }
  if (event === "error") return []; // told by the run's end
  if (isProtocolRun(run)) {
    const params = JSON.parse(data) as { namespace: Namespace; timestamp: number; data: unknown };
    return [frame(eventId, base + seq, event, params, data)];
  }
  const [mode, ...namespace] = event.split("|");
  if (!CLASSIC_CHANNELS.has(mode)) return [];
  const payload = JSON.parse(data) as unknown;
  const node =
    mode === "updates" && payload !== null && typeof payload === "object" ? Object.keys(payload)[0] : undefined;
  return [
    frame(eventId, base + seq, mode, {
      namespace,
      timestamp: Date.parse(run.updated_at),
      ...(node !== undefined ? { node } : {}),
      data: payload,
    }),
  ];
}

function lifecycle(run: RunRecord, event: string, error?: string) {
  const at = event === "running" ? run.created_at : run.updated_at;
  return { namespace: [], timestamp: Date.parse(at), data: { event, ...(error ? { error } : {}) } };
}

interface PendingInterrupt {
  id?: string;
  value?: unknown;
}

/** The interrupts the thread waits on, when this run is what left them (it is the thread's latest run). */
async function interruptsLeftBy(run: RunRecord, thread: ThreadLookup): Promise<PendingInterrupt[]> {
  const record = await thread(run.thread_id);
  if (!record || record.status !== "interrupted") return [];
  const byTask = (record.interrupts ?? {}) as Record<string, Json>;
  return Object.values(byTask).flatMap((list) => (Array.isArray(list) ? (list as PendingInterrupt[]) : []));
}

async function endFrames(run: RunRecord, seq: number, thread: ThreadLookup): Promise<ProtocolFrame[]> {
  const frames: ProtocolFrame[] = [];
  const next = (method: string, params: { namespace: Namespace; timestamp: number; data: unknown }) =>
    frames.push(frame(`${run.run_id}:end:${frames.length}`, seq + frames.length, method, params));
  switch (run.status) {
    case "success": {
      const interrupts = await interruptsLeftBy(run, thread);
      interrupts.forEach((interrupt, i) =>
        next("input.requested", {
          namespace: [],
          timestamp: Date.parse(run.updated_at),
          data: { interrupt_id: interrupt.id ?? `${run.run_id}:${i}`, payload: interrupt.value ?? null },
        }),
      );
      next("lifecycle", lifecycle(run, interrupts.length > 0 ? "interrupted" : "completed"));
      break;
    }
    case "interrupted":
      next("lifecycle", lifecycle(run, "interrupted"));
      break;
    case "error":
    case "timeout":
      next("lifecycle", lifecycle(run, "failed", run.error ?? run.status));
      break;
    default:
      // Still pending or running: its log ended without it (a restart); nothing to tell yet.
      break;
  }
  return frames;
}
