/**
 * A thread's stream: the logs of its runs, one after another in the order the runs were made, then
 * the logs of the runs made while the reader stays. There is no second copy: each run's events are
 * read from its own durable log (StreamHub), so a reader can start anywhere, also after a restart.
 *
 * Readers say where to start (ThreadCursor) and get each event with its run and the run's place on
 * the thread, and after each run whose log ended, that run as it ended (its final status), for
 * readers that tell of a run's end (lifecycle events).
 */
import { isActiveRunStatus, type RunRecord, type Stores } from "../../stores/types.ts";
import type { StreamEvent, StreamHub } from "./hub.ts";

/** Where a reader of a thread's stream starts. */
export type ThreadCursor =
  /** Every run the thread still has, from its first event. */
  | { from: "start" }
  /** What is published from now on: the active runs' next events, then new runs. */
  | { from: "live" }
  /**
   * After an event a reader saw (`seq`); after all of a run's events, so that the run's end comes
   * next (`seq: "events"`: its events are read past, not given); or after the end of a run (`seq: "end"`).
   */
  | { from: "after"; runId: string; seq: number | "events" | "end" }
  /**
   * What the thread retains for a reader that comes (back) without a cursor: from the oldest run
   * still pending or running, or else its latest run.
   */
  | { from: "retained" };

export type ThreadStreamItem =
  | { kind: "event"; run: RunRecord; index: number; event: StreamEvent }
  | { kind: "end"; run: RunRecord; index: number; lastSeq: number };

/** How long a reader waits before it looks again at an active run whose log is not open here. */
const RELOOK_MS = 500;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** The most runs of one thread a reader walks; older ones are left out of `start`. */
const MAX_RUNS = 10_000;

export class ThreadStreams {
  constructor(private readonly deps: { stores: Stores; streams: StreamHub }) {}

  /** The thread's runs, oldest first. */
  private async runsOf(threadId: string): Promise<RunRecord[]> {
    const newestFirst = await this.deps.stores.runs.listByThread(threadId, { limit: MAX_RUNS, offset: 0 });
    return newestFirst.reverse();
  }

  /**
   * The cursor with `live` turned into the place it stands for now (after the active run's last event,
   * after the end of the latest run, or the start of a thread without runs); others as they are. A
   * reader that pins before it answers misses nothing published after its answer went out.
   */
  async pin(threadId: string, cursor: ThreadCursor): Promise<ThreadCursor> {
    if (cursor.from !== "live") return cursor;
    const runs = await this.runsOf(threadId);
    const { index, afterSeq } = startOf(runs, cursor, (runId) => this.deps.streams.lastSeq(runId));
    if (index < runs.length) return { from: "after", runId: runs[index].run_id, seq: afterSeq };
    return runs.length > 0 ? { from: "after", runId: runs[runs.length - 1].run_id, seq: "end" } : { from: "start" };
  }

  /** Yields the thread's stream from the cursor until the signal aborts (it never ends by itself). */
  async *follow(threadId: string, cursor: ThreadCursor, signal: AbortSignal): AsyncGenerator<ThreadStreamItem> {
    const { streams, stores } = this.deps;
    let runs = await this.runsOf(threadId);
    let { index, afterSeq, skipEvents } = startOf(runs, cursor, (runId) => streams.lastSeq(runId));
    while (!signal.aborted) {
      if (index >= runs.length) {
        // Registered before the runs are looked at again: a run stored meanwhile wakes it.
        const unneeded = new AbortController();
        const added = streams.runAdded(threadId, AbortSignal.any([signal, unneeded.signal]));
        runs = await this.runsOf(threadId);
        if (index >= runs.length) await added;
        else unneeded.abort();
        continue;
      }
      const run = runs[index];
      let lastSeq = afterSeq;
      let ended: RunRecord = run;
      for (;;) {
        for await (const event of streams.read(run.run_id, lastSeq, signal)) {
          lastSeq = event.seq;
          if (!skipEvents) yield { kind: "event", run, index, event };
        }
        if (signal.aborted) return;
        // Its log ended: the run has its final status by now (it is stored before the log is finished).
        const stored = await stores.runs.get(run.run_id);
        ended = stored ?? run;
        if (!stored || !isActiveRunStatus(stored.status)) break;
        // Still active with no log here: stored by a process before this one, and not yet taken up again
        // (runs open their logs before they are stored). Look again in a while.
        if (streams.lastSeq(run.run_id) === null) await pause(RELOOK_MS, signal);
      }
      yield { kind: "end", run: ended, index, lastSeq };
      index += 1;
      afterSeq = -1;
      skipEvents = false;
    }
  }
}

/** Which run (its place among the thread's runs, oldest first) and after which of its events a cursor starts. */
function startOf(
  runs: readonly RunRecord[],
  cursor: ThreadCursor,
  lastSeq: (runId: string) => number | null,
): { index: number; afterSeq: number; skipEvents: boolean } {
  switch (cursor.from) {
    case "start":
      return { index: 0, afterSeq: -1, skipEvents: false };
    case "live": {
      const active = runs.findIndex((run) => lastSeq(run.run_id) !== null);
      if (active < 0) return { index: runs.length, afterSeq: -1, skipEvents: false };
      return { index: active, afterSeq: lastSeq(runs[active].run_id) ?? -1, skipEvents: false };
    }
    case "after": {
      const at = runs.findIndex((run) => run.run_id === cursor.runId);
      // A run the thread no longer has (deleted, rolled back): what the thread retains.
      if (at < 0) return startOf(runs, { from: "retained" }, lastSeq);
      if (cursor.seq === "end") return { index: at + 1, afterSeq: -1, skipEvents: false };
      if (cursor.seq === "events") return { index: at, afterSeq: -1, skipEvents: true };
      return { index: at, afterSeq: cursor.seq, skipEvents: false };
    }
    case "retained": {
      const active = runs.findIndex((run) => run.status === "pending" || run.status === "running");
      return { index: active >= 0 ? active : Math.max(0, runs.length - 1), afterSeq: -1, skipEvents: false };
    }
  }
}
