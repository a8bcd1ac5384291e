/**
 * Cooperative time slicing for executing runs.
 *
 * On the embedded store a graph never waits for I/O: better-sqlite3 is
 * synchronous, so a run is one long chain of promise continuations, and the
 * event loop polls for new requests only when every executing run has
 * finished. Under load a request then waits behind whole runs.
 *
 * Runs give the loop back at their seams. Before each checkpoint write (a
 * superstep) a run always waits for a later turn (`turn()`), so runs in flight
 * take turns superstep by superstep. At the finer seams (each streamed event,
 * the end-of-run bookkeeping) `turnIfDue()` yields only once the current turn
 * has spent its budget, so a graph emitting thousands of small events is not
 * slowed down. A turn resumes runs for at most `budgetMs` (plus the slice that
 * crosses it) before the loop goes back to I/O: requests, socket writes and
 * timers wait for about one budget, whatever the number of runs in flight.
 * Runs that do wait for I/O (a model call) are unaffected.
 */
import { performance } from "node:perf_hooks";

export class RunTurns {
  /** When the current event-loop turn began resuming runs. */
  private turnStart = 0;
  private markerQueued = false;

  constructor(private readonly budgetMs = 1) {}

  /**
   * A marker at the head of the next turn's immediates records when that turn
   * starts; waiters queued after it compare against it.
   */
  private queueMarker(): void {
    if (this.markerQueued) return;
    this.markerQueued = true;
    setImmediate(() => {
      this.markerQueued = false;
      this.turnStart = performance.now();
    });
  }

  /** A later turn with budget left once this turn's budget is spent; otherwise undefined (go on). */
  readonly turnIfDue = (): Promise<void> | undefined => {
    return performance.now() - this.turnStart >= this.budgetMs ? this.turn() : undefined;
  };

  /** Resume the caller in a later event-loop turn that has budget left. */
  readonly turn = async (): Promise<void> => {
    for (;;) {
      this.queueMarker();
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (performance.now() - this.turnStart < this.budgetMs) return;
    }
  };
}
