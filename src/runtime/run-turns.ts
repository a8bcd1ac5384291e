/**
 * Cooperative time slicing for executing runs.
 *
 * On the embedded store a graph never waits for I/O: better-sqlite3 is
 * synchronous, so a run is one long chain of promise continuations, and the
 * event loop polls for new requests only when every executing run has
 * finished. Under load a request then waits behind whole runs.
 *
 * Runs call `turn()` at their seams (each checkpoint write, each streamed
 * event, before the end-of-run bookkeeping). It resumes them in a later turn
 * of the event loop, and within one turn at most `budgetMs` of run work runs
 * before the loop goes back to I/O: requests, socket writes and timers wait
 * for at most one budget (plus the slice that crossed it), whatever the number
 * of runs in flight. Runs that do wait for I/O (a model call) are unaffected.
 */
import { performance } from "node:perf_hooks";

export class RunTurns {
  /** When the current event-loop turn began resuming runs. */
  private turnStart = 0;
  private markerQueued = false;

  constructor(private readonly budgetMs = 2) {}

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

  /** Resume the caller in a later event-loop turn that has budget left. */
  readonly turn = async (): Promise<void> => {
    for (;;) {
      this.queueMarker();
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (performance.now() - this.turnStart < this.budgetMs) return;
    }
  };
}
