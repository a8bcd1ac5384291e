/**
 * A thread's stream: the logs of its runs, one after another in the order the runs were made, then
 * the logs of the runs made while the reader stays. There is no second copy: each run's events are
 * read from its own durable log (StreamHub), so a reader can start anywhere, also after a restart.
 *
 * Readers say where to start (ThreadCursor) and get each event with its run and the run's place on
 * the thread, and after each run whose log ended, that run as it ended (its final status), for
 * readers that tell of a run's end (lifecycle events).
 */
import type { RunRecord, Stores } from "../../stores/types.ts";
import type { StreamEvent, StreamHub } from "./hub.ts";

/** Where a reader of a thread's stream starts. */
export type ThreadCursor =
  /** Every run the thread still has, from its first event. */
  | { from: "start" }
  /** What is published from now on: the active runs' next events, then new runs. */
  | { from: "live" }
  /** After an event a reader saw (`seq`), or after the end of a run (`seq: "end"`). */
  | { from: "after"; runId: string; seq: number | "end" }
  /**
   * What the thread retains for a reader that comes (back) without a cursor: from the oldest run
   * still pending or running, or else its latest run.
   */
  | { from: "retained" };

export type ThreadStreamItem =
  | { kind: "event"; run: RunRecord; index: number; event: StreamEvent }
  | { kind: "end"; run: RunRecord; index: number; lastSeq: number };

/** The most runs of one thread a reader walks; older ones are left out of `start`. */
const MAX_RUNS = 10_000;

export class ThreadStreams {
  constructor(private readonly deps: { stores: Stores; streams: StreamHub }) {}

  /** The thread's runs, oldest first. */
  private async runsOf(threadId: string): Promise<RunRecord[]> {
    const newestFirst = await this.deps.stores.runs.listByThread(threadId, { limit: MAX_RUNS, offset: 0 });
    return newestFirst.reverse();
  }

  /** Yields the thread's stream from the cursor until the signal aborts (it never ends by itself). */
  async *follow(threadId: string, cursor: ThreadCursor, signal: AbortSignal): AsyncGenerator<ThreadStreamItem> {
    const { streams, stores } = this.deps;
    let runs = await this.runsOf(threadId);
    let { index, afterSeq } = startOf(runs, cursor, (runId) => streams.lastSeq(runId));
    while (!signal.aborted) {
      // Registered before the runs are looked at again: a run made meanwhile wakes it.
      const added = streams.runAdded(threadId, signal);
      if (index >= runs.length) runs = await this.runsOf(threadId);
      if (index >= runs.length) {
        await added;
        continue;
      }
      const run = runs[index];
      let lastSeq = afterSeq;
      for await (const event of streams.read(run.run_id, afterSeq, signal)) {
        lastSeq = event.seq;
        yield { kind: "event", run, index, event };
      }
      if (signal.aborted) return;
      // Its log ended: the run has its final status by now (it is stored before the log is finished).
      const ended = (await stores.runs.get(run.run_id)) ?? run;
      yield { kind: "end", run: ended, index, lastSeq };
      index += 1;
      afterSeq = -1;
    }
  }
}

/** Which run (its place among the thread's runs, oldest first) and after which of its events a cursor starts. */
function startOf(
  runs: readonly RunRecord[],
  cursor: ThreadCursor,
  lastSeq: (runId: string) => number | null,
): { index: number; afterSeq: number } {
  switch (cursor.from) {
    case "start":
      return { index: 0, afterSeq: -1 };
    case "live": {
      const active = runs.findIndex((run) => lastSeq(run.run_id) !== null);
      if (active < 0) return { index: runs.length, afterSeq: -1 };
      return { index: active, afterSeq: lastSeq(runs[active].run_id) ?? -1 };
    }
    case "after": {
      const at = runs.findIndex((run) => run.run_id === cursor.runId);
      // A run the thread no longer has (deleted, rolled back): what the thread retains.
      if (at < 0) return startOf(runs, { from: "retained" }, lastSeq);
      return cursor.seq === "end" ? { index: at + 1, afterSeq: -1 } : { index: at, afterSeq: cursor.seq };
    }
    case "retained": {
      const active = runs.findIndex((run) => run.status === "pending" || run.status === "running");
      return { index: active >= 0 ? active : Math.max(0, runs.length - 1), afterSeq: -1 };
    }
  }
}
