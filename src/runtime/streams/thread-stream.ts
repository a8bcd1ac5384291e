/**
 * `GET /threads/{id}/stream`: a thread's stream (thread-follow.ts) in the classic API's SSE shape.
 * Three modes a client picks, in any combination:
 *
 * - `run_modes`: every event a run stored, as it is, with the id `<run_id>:<seq>`;
 * - `lifecycle`: `lifecycle` `{run_id, thread_id, status: "running"}` just before a run's first
 *   event (id `<run_id>:start`), and `{run_id, thread_id, status, error?}` with its final status
 *   after its log ended (id `<run_id>:end`);
 * - `state_update`: `state_update` `{run_id, thread_id, values}` after a run's log ended, before its
 *   lifecycle end (id `<run_id>:state`).
 *
 * Within a run the ids run `start`, its events by seq, `state`, `end`, whatever the modes, so an id
 * names one place on the thread however the stream that sent it was asked for, and a client that
 * sends it back as `Last-Event-ID` resumes right after that place.
 */
import type { Assert, Equals, Schema } from "../../contract.ts";
import type { RunRecord, Stores, ThreadRecord } from "../../stores/types.ts";
import type { ThreadStateReader } from "../threads/state.ts";
import { toJson } from "../shared/serialize.ts";
import type { ThreadCursor, ThreadStreams } from "./thread-follow.ts";

export type ThreadStreamMode = "lifecycle" | "run_modes" | "state_update";
type _ModesOfTheSpec = Assert<Equals<ThreadStreamMode, Schema<"ThreadStreamMode">>>;

export const DEFAULT_THREAD_STREAM_MODES: readonly ThreadStreamMode[] = ["run_modes"];

export interface ThreadStreamFrame {
  id: string;
  event: string;
  /** One line of JSON. */
  data: string;
}

/**
 * Where a reader starts: a place on the thread's stream, and, when that place is a run's `start` or
 * `state` frame, that frame, which the cursor alone (a place among the run's events) would give again.
 */
export interface ThreadStreamStart {
  cursor: ThreadCursor;
  seen?: { runId: string; frame: "start" | "state" };
}

/** `<run_id>:<place>`, the ids this stream sends. */
const EVENT_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(start|state|end|0|[1-9][0-9]{0,15})$/i;

/**
 * The start `Last-Event-ID` asks for. Absent (or blank): what is published from now on. `-`: the
 * thread's runs from the first. An id this stream sends: right after it. Anything else: what the
 * thread retains (so does the id of a run the thread does not have, by thread-follow.ts).
 */
export function startAfter(lastEventId: string | undefined): ThreadStreamStart {
  const sent = lastEventId?.trim() ?? "";
  if (sent === "") return { cursor: { from: "live" } };
  if (sent === "-") return { cursor: { from: "start" } };
  const match = EVENT_ID.exec(sent);
  if (!match) return { cursor: { from: "retained" } };
  const runId = match[1].toLowerCase();
  const place = match[2].toLowerCase();
  switch (place) {
    case "start":
      return { cursor: { from: "after", runId, seq: -1 }, seen: { runId, frame: "start" } };
    case "state":
      return { cursor: { from: "after", runId, seq: "events" }, seen: { runId, frame: "state" } };
    case "end":
      return { cursor: { from: "after", runId, seq: "end" } };
    default: {
      const seq = Number(place);
      return Number.isSafeInteger(seq) ? { cursor: { from: "after", runId, seq } } : { cursor: { from: "retained" } };
    }
  }
}

export interface ThreadStreamDeps {
  stores: Stores;
  state: ThreadStateReader;
  threadStreams: ThreadStreams;
}

/**
 * The start with `live` pinned to the place it stands for now (ThreadStreams.pin): resolve it before
 * answering, and nothing published after the answer's headers is missed.
 */
export async function pinStart(deps: ThreadStreamDeps, threadId: string, start: ThreadStreamStart) {
  return { ...start, cursor: await deps.threadStreams.pin(threadId, start.cursor) };
}

/** The thread's frames in the given modes, from the start, until the signal aborts. */
export async function* threadStreamFrames(
  deps: ThreadStreamDeps,
  thread: ThreadRecord,
  modes: ReadonlySet<ThreadStreamMode>,
  start: ThreadStreamStart,
  signal: AbortSignal,
): AsyncGenerator<ThreadStreamFrame> {
  for await (const item of deps.threadStreams.follow(thread.thread_id, start.cursor, signal)) {
    const { run } = item;
    const seen = start.seen?.runId === run.run_id ? start.seen.frame : undefined;
    if (item.kind === "event") {
      const { seq, event, data } = item.event;
      if (seq === 0 && modes.has("lifecycle") && seen !== "start") yield lifecycleFrame(run, "start", "running");
      if (modes.has("run_modes")) yield { id: `${run.run_id}:${seq}`, event, data };
      continue;
    }
    if (modes.has("state_update") && seen !== "state") {
      const values = await valuesAfter(deps, thread, run);
      yield {
        id: `${run.run_id}:state`,
        event: "state_update",
        data: toJson({ run_id: run.run_id, thread_id: run.thread_id, values }),
      };
    }
    if (modes.has("lifecycle")) yield lifecycleFrame(run, "end", run.status, run.error);
  }
}

function lifecycleFrame(run: RunRecord, place: "start" | "end", status: string, error?: string | null) {
  const data = { run_id: run.run_id, thread_id: run.thread_id, status, ...(error ? { error } : {}) };
  return { id: `${run.run_id}:${place}`, event: "lifecycle", data: toJson(data) };
}

/**
 * The thread's values after the run: those of the last checkpoint the run wrote (a replay of older
 * runs tells each its own), or the thread's current values when it wrote none (it failed before its
 * first step, or was rolled back).
 */
async function valuesAfter(deps: ThreadStreamDeps, thread: ThreadRecord, run: RunRecord): Promise<unknown> {
  const [last] = await deps.state.history(thread, { limit: 1, metadata: { run_id: run.run_id } });
  if (last) return last.values;
  return (await deps.stores.threads.get(thread.thread_id))?.values ?? {};
}
