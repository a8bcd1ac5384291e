/**
 * Who is waiting for which run to end. A run ends in exactly one place (the
 * executor, a cancel of a pending run, a rollback, recovery); that place calls
 * `settle`, and every `wait`er — `runs/wait`, `join`, `cancel?wait=1` — wakes.
 */
import type { RunRecord } from "../../stores/types.ts";

export interface RunOutcome {
  run: RunRecord;
  /** What `runs/wait` answers: the final state values, or `{__error__}`. */
  values: unknown;
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

  settle(runId: string, outcome: RunOutcome): void {
    const list = this.waiting.get(runId);
    this.waiting.delete(runId);
    for (const resolve of list ?? []) resolve(outcome);
  }
}
