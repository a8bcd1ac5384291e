/**
 * How server processes that share one database tell each other things that cannot wait for a poll:
 * a run's stream events for readers on other processes, cancels, queue wake-ups, run endings. The
 * database stays the truth; a signal only says "look now". So every signal may be lost (Redis down,
 * a process restarting) and callers must still be correct, just slower, by polling when `live` is false.
 */

/** One stream event of a run: seq is the SSE id (per run, from 0), data is one line of JSON. */
export interface SignalEvent {
  seq: number;
  event: string;
  data: string;
}

export type CancelSignal = { run_id: string; action: "interrupt" | "rollback" };

export interface ClusterSignals {
  /** True while the signals reach other processes (Redis connected); false: callers poll the database instead. */
  readonly live: boolean;
  /** Events a run executing here published, for readers of that run on other processes. Fire-and-forget, in order. */
  publishEvents(runId: string, events: SignalEvent[]): void;
  /** The run's stream is complete: every event is in the database. */
  publishEnd(runId: string): void;
  /**
   * Follows a run executing elsewhere: onEvents gets each batch published after the subscription is active, onEnd when
   * its end is published. Resolves once the subscription is active (so a reader may then read the database and not miss
   * anything in between). The returned function unsubscribes.
   */
  followRun(runId: string, handlers: { onEvents(events: SignalEvent[]): void; onEnd(): void }): Promise<() => void>;
  /** Asks whichever process owns the run to cancel it. */
  requestCancel(signal: CancelSignal): void;
  onCancel(handler: (signal: CancelSignal) => void): void;
  /** A thread's queue may have something to start (a run was admitted, or one ended). */
  wake(threadId: string): void;
  onWake(handler: (threadId: string) => void): void;
  /** A run reached its final status (waiters elsewhere read it from the database). */
  runEnded(runId: string): void;
  onRunEnded(handler: (runId: string) => void): void;
  close(): Promise<void>;
}

/**
 * One process alone: nothing to tell anyone; `live` false. Handlers are accepted and never called,
 * because in a single process the caller acts on its own runs directly and nothing else exists to hear.
 */
export class NoSignals implements ClusterSignals {
  readonly live = false;
  publishEvents(_runId: string, _events: SignalEvent[]): void {}
  publishEnd(_runId: string): void {}
  async followRun(
    _runId: string,
    _handlers: { onEvents(events: SignalEvent[]): void; onEnd(): void },
  ): Promise<() => void> {
    return () => {};
  }
  requestCancel(_signal: CancelSignal): void {}
  onCancel(_handler: (signal: CancelSignal) => void): void {}
  wake(_threadId: string): void {}
  onWake(_handler: (threadId: string) => void): void {}
  runEnded(_runId: string): void {}
  onRunEnded(_handler: (runId: string) => void): void {}
  async close(): Promise<void> {}
}
