/**
 * How runs end outside their executor, and how their end is waited for: a cancel stops a pending run at
 * once, aborts one executing here, or asks the process executing it elsewhere; a waiter is woken by the
 * run's end here, or finds it in the database (where processes share it).
 */
import { isActiveRunStatus, type RunRecord, type RunStatus, type Stores } from "../../stores/types.ts";
import type { StreamHub } from "../streams/hub.ts";
import { ROLLED_BACK, type ClientCancelAction } from "../graphs/run.ts";
import { settleThread, type ActiveRun } from "./executor.ts";
import type { RunQueue } from "./queue.ts";
import type { RunCluster } from "./cluster.ts";
import type { RunOutcome, RunWaiters } from "./waiters.ts";

/** The statuses a run ends in. */
export const TERMINAL = new Set<RunStatus>(["success", "error", "timeout", "interrupted"]);

export interface RunEndsDeps {
  stores: Stores;
  streams: StreamHub;
  queue: RunQueue;
  waiters: RunWaiters;
  cluster: RunCluster;
}

export class RunEnds {
  constructor(private readonly deps: RunEndsDeps) {}

  /**
   * Stops one run: a pending run ends at once; a running one is aborted and the
   * returned promise settles when it has ended.
   */
  async stop(
    run: RunRecord,
    action: ClientCancelAction,
    opts: { removeOnRollback: boolean },
  ): Promise<RunOutcome | null> {
    const { stores, streams } = this.deps;
    const abort = (active: ActiveRun): Promise<RunOutcome> => {
      active.cancelAction ??= action;
      active.removeOnRollback ||= opts.removeOnRollback && action === "rollback";
      active.controller.abort(new Error(`run cancelled (${action})`));
      return active.done;
    };
    const executing = this.deps.queue.activeRun(run.run_id);
    if (executing) return abort(executing);

    const status: RunStatus = action === "rollback" ? "error" : "interrupted";
    const error = action === "rollback" ? ROLLED_BACK : null;
    let ended = await stores.runs.transition(run.run_id, ["pending"], status, { error });
    if (!ended) {
      // The queue claimed it meanwhile: its executor is registered once the claim's answer is read.
      const claimed = await this.deps.queue.activeOrClaimed(run.run_id);
      if (claimed) return abort(claimed);
      if (this.deps.cluster.shared) {
        // Executing in another process (or its worker died): the cancel goes to whoever has it.
        if (await this.deps.cluster.cancelElsewhere(run, action)) {
          const outcome = await this.waitForEnd(run.run_id);
          // A newer run's rollback removes the run it replaces, wherever that one executed.
          if (opts.removeOnRollback && action === "rollback" && outcome?.run.error === ROLLED_BACK)
            await stores.runs.delete(run.run_id);
          return outcome;
        }
        const now = await stores.runs.get(run.run_id);
        return now && isActiveRunStatus(now.status) ? this.stop(now, action, opts) : null;
      }
      // Or it is `running` with no executor here (a leftover of a process that died), or already over.
      ended = await stores.runs.transition(run.run_id, ["running"], status, { error });
      if (!ended) return null;
    }
    if (action === "rollback" && opts.removeOnRollback) await stores.runs.delete(run.run_id);
    await streams.finish(run.run_id);
    await settleThread(this.deps, run.thread_id, null, "cancelled");
    const outcome = { run: ended, values: await this.finalValues(ended) };
    this.deps.waiters.settle(run.run_id, outcome);
    this.deps.queue.kick(run.thread_id);
    return outcome;
  }

  /** Resolves once the run has ended: its final record and what `runs/wait` answers. Null if it is gone. */
  async waitForEnd(runId: string): Promise<RunOutcome | null> {
    // Register first, then look: a run that ends in between still wakes us.
    const waiting = this.deps.waiters.wait(runId);
    // A run executing in this process settles its waiters when it ends (after it leaves the queue).
    if (this.deps.queue.activeRun(runId)) {
      const outcome = await waiting.promise;
      // Its lease was lost (another worker has it now) while this process goes on: wait for its real end.
      if (outcome.handedBack && this.deps.cluster.shared && !this.deps.queue.stopping) return this.waitForEnd(runId);
      return outcome;
    }
    const run = await this.deps.stores.runs.get(runId);
    if (!run) {
      waiting.cancel();
      return null;
    }
    if (TERMINAL.has(run.status)) {
      waiting.cancel();
      return { run, values: await this.finalValues(run) };
    }
    if (!this.deps.cluster.shared) return waiting.promise;
    // It may execute in another process: its end is looked for in the database.
    const ended = await this.deps.cluster.waitElsewhere(runId, waiting.promise);
    if (ended === null || "values" in ended) {
      waiting.cancel();
      return ended;
    }
    waiting.cancel();
    return { run: ended, values: await this.finalValues(ended) };
  }

  /** What `runs/wait` and `join` answer for a run that already ended. */
  async finalValues(run: RunRecord): Promise<unknown> {
    if (run.status === "error" && run.error && run.error !== ROLLED_BACK) {
      const [error, ...rest] = run.error.split(": ");
      return { __error__: { error, message: rest.join(": ") } };
    }
    const thread = await this.deps.stores.threads.get(run.thread_id);
    return thread?.values ?? {};
  }
}
