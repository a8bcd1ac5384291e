/**
 * Who is waiting for which run to end. A run ends in exactly one place (the
 * executor, a cancel of a pending run, a rollback, recovery); that place calls
 * `settle`, and every `wait`er — `runs/wait`, `join`, `cancel?wait=1` — wakes.
 */
import type { RunRecord } from "../../stores/types.ts";
import { Wakeups } from "../shared/wakeups.ts";

export interface RunOutcome {
  run: RunRecord;
  /** What `runs/wait` answers: the final state values, or `{__error__}`. */
  values: unknown;
  /** The run did not end: this process stopped and gave it back, to be resumed elsewhere. */
  handedBack?: boolean;
}

export class RunWaiters {
  private readonly waiting = new Map<string, ((outcome: RunOutcome) => void)[]>();

  /** Registers a waiter; `cancel` withdraws it (for a run that turned out to be gone). */
  wait(runId: string): { promise: Promise<RunOutcome>; cancel: () => void } {
    let resolver!: (outcome: RunOutcome) => void;
    const promise = new Promise<RunOutcome>((resolve) => (resolver = resolve));
    const list = this.waiting.get(runId) ?? [];
    list.push(resolver);
    this.waiting.set(runId, list);
    const cancel = () => {
      const remaining = (this.waiting.get(runId) ?? []).filter((r) => r !== resolver);
      if (remaining.length) this.waiting.set(runId, remaining);
      else this.waiting.delete(runId);
    };
    return { promise, cancel };
  }

  private readonly pokes = new Wakeups();

  /**
   * Resolves after `ms`, or sooner when `poke(runId)` is called (another process says the run ended):
   * how a waiter for a run executing elsewhere paces its looks at the database.
   */
  pause(runId: string, ms: number): Promise<void> {
    return this.pokes.wait(runId, { timeoutMs: ms });
  }

  poke(runId: string): void {
    this.pokes.wake(runId);
  }

  settle(runId: string, outcome: RunOutcome): void {
    const list = this.waiting.get(runId);
    this.waiting.delete(runId);
    for (const resolve of list ?? []) resolve(outcome);
  }
}
