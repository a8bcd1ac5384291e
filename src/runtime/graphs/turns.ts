/**
 * Cooperative time slicing for executing runs.
 *
 * On the embedded store a graph never waits for I/O: better-sqlite3 is
 * synchronous, so a run is one long chain of promise continuations, and the
 * event loop polls for new requests only when every executing run has
 * finished. Under load a request then waits behind whole runs.
 *
 * Runs give the loop back at their seams. Before each checkpoint write (a
 * superstep) a run always waits for a turn (`turn()`). At the finer seams
 * (each streamed event, the end-of-run bookkeeping) `turnIfDue()` waits only
 * once the current turn has spent its budget, so a graph emitting thousands of
 * small events is not slowed down.
 *
 * A turn is one event-loop iteration's share of run execution: it resumes
 * waiting runs one slice at a time, oldest run first, until `budgetMs` is spent
 * (plus the slice that crosses it); then the loop goes back to I/O, so requests,
 * socket writes and timers wait about one budget whatever the number of runs
 * in flight. Oldest first, not round-robin: when runs compete for the CPU they
 * finish in the order they started, instead of all of them near the end of the
 * busy period (the first event of a run goes out with its response, before it
 * executes, so new runs still see their first event at once). A run that has
 * waited for `longRunSlices` turns (at least one per superstep, so far past
 * LangGraph's default recursion limit of 25) goes behind every run that has
 * not, so one long run cannot hold up the runs started after it. Callers outside
 * a run (a state update from the API) go first.
 * Runs that do wait for I/O (a model call) are unaffected.
 */
import { performance } from "node:perf_hooks";

interface Waiter {
  /** Resumed in ascending order: 0 outside a run, then runs by start order, then long runs by start order. */
  rank: number;
  resume: () => void;
}

interface Executing {
  /** The order in which it started executing. */
  age: number;
  /** How many times it has waited for a turn. */
  slices: number;
}

/** Ranks of long runs start here, past any start order. */
const LONG_RUN_RANK = Number.MAX_SAFE_INTEGER / 2;

export class RunTurns {
  /** Waiting slices by rank (ties: first come). */
  private readonly waiting: Waiter[] = [];
  /** When the current turn began resuming runs. */
  private turnStart = 0;
  private inTurn = false;
  private turnQueued = false;
  private started = 0;
  /** Runs executing now, by run id. */
  private readonly executing = new Map<string, Executing>();

  constructor(
    private readonly budgetMs = 1,
    private readonly longRunSlices = 200,
  ) {}

  /** Executes a run: its slices are resumed before those of runs started after it. */
  run<T>(runId: string, execute: () => Promise<T>): Promise<T> {
    this.executing.set(runId, { age: ++this.started, slices: 0 });
    return execute().finally(() => this.executing.delete(runId));
  }

  /** A turn with budget left once this turn's budget is spent; otherwise undefined (go on). */
  readonly turnIfDue = (runId?: string): Promise<void> | undefined => {
    return performance.now() - this.turnStart >= this.budgetMs ? this.turn(runId) : undefined;
  };

  /** Resume the caller in a turn, after the slices of older runs. */
  readonly turn = (runId?: string): Promise<void> => {
    return new Promise<void>((resume) => {
      const rank = this.rankOf(runId);
      let i = this.waiting.length;
      while (i > 0 && this.waiting[i - 1].rank > rank) i--;
      this.waiting.splice(i, 0, { rank, resume });
      // Inside a turn the slice that is running picks the next one when it is done.
      if (!this.inTurn) this.queueTurn();
    });
  };

  private rankOf(runId: string | undefined): number {
    const run = runId !== undefined ? this.executing.get(runId) : undefined;
    if (!run) return 0;
    run.slices += 1;
    return run.slices > this.longRunSlices ? LONG_RUN_RANK + run.age : run.age;
  }

  private queueTurn(): void {
    if (this.turnQueued) return;
    this.turnQueued = true;
    setImmediate(this.beginTurn);
  }

  private readonly beginTurn = (): void => {
    this.turnQueued = false;
    this.inTurn = true;
    this.turnStart = performance.now();
    this.resumeOldest();
  };

  private resumeOldest(): void {
    const next = this.waiting.shift();
    if (!next) {
      this.inTurn = false;
      return;
    }
    next.resume();
    // The resumed run goes on in microtasks until it waits again (for a turn or for I/O). A tick
    // queued from a microtask runs once the microtask queue is empty: that is, after its slice.
    queueMicrotask(() => process.nextTick(this.afterSlice));
  }

  private readonly afterSlice = (): void => {
    if (performance.now() - this.turnStart < this.budgetMs) return this.resumeOldest();
    this.inTurn = false;
    if (this.waiting.length > 0) this.queueTurn();
  };
}
