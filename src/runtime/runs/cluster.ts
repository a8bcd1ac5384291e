/**
 * What the run manager does about runs in other processes (processes sharing Postgres): stopping a run
 * executing elsewhere (the cancel is stored for its worker's next heartbeat and signalled at once
 * through Redis when it is up), waiting for one to end (a signal, or a look at the database every
 * poll), and taking over the runs of a worker that died. With one process alone (SQLite) none of it
 * happens: every run executes here.
 */
import type { Logger } from "../../logger.ts";
import type { ReclaimedRun, RequestedCancel, RunRecord, Stores } from "../../stores/types.ts";
import { isActiveRunStatus } from "../../stores/types.ts";
import type { StreamHub } from "../streams/hub.ts";
import type { GraphRegistry } from "../graphs/registry.ts";
import { toJson } from "../shared/serialize.ts";
import { settleThread } from "./executor.ts";
import { ATTEMPTS_EXHAUSTED, LeaseKeeper, type WorkerSettings } from "./leases.ts";
import type { RunWaiters } from "./waiters.ts";

export interface RunClusterDeps {
  stores: Stores;
  streams: StreamHub;
  registry: GraphRegistry;
  logger: Logger;
  waiters: RunWaiters;
  worker: WorkerSettings;
  /** Hands a thread to the run queue, which starts its next run when it may. */
  kick(threadId: string): void;
  /** Stops a run executing in this process (a cancel asked for elsewhere, or its lease lost). */
  stopHere(runId: string, action: RequestedCancel | "lost"): void;
}

export class RunCluster {
  readonly keeper: LeaseKeeper;

  constructor(private readonly deps: RunClusterDeps) {
    const { stores, worker, logger } = deps;
    this.keeper = new LeaseKeeper(stores, worker, logger, {
      lost: (runId) => deps.stopHere(runId, "lost"),
      cancel: (runId, action) => deps.stopHere(runId, action),
      reclaimed: (runs) => this.takeOver(runs),
      wake: (threads) => threads.forEach((t) => deps.kick(t)),
    });
    worker.signals.onCancel(({ run_id, action }) => deps.stopHere(run_id, action));
    worker.signals.onWake((threadId) => {
      deps.streams.announce(threadId);
      deps.kick(threadId);
    });
    worker.signals.onRunEnded((runId) => deps.waiters.poke(runId));
  }

  get shared(): boolean {
    return this.deps.worker.shared;
  }

  /**
   * A cancel of a run that is `running` with no executor here. Where processes share the database, it is
   * stored for the run's worker (and signalled); a run whose worker died is taken over, cancel and all.
   * Returns false when the run was not `running` any more (it ended, or went back to the queue).
   */
  async cancelElsewhere(run: RunRecord, action: RequestedCancel): Promise<boolean> {
    const lease = await this.deps.stores.leases.requestCancel(run.run_id, action);
    if (!lease) return false;
    if (lease.live) this.deps.worker.signals.requestCancel({ run_id: run.run_id, action });
    else await this.keeper.sweep();
    return true;
  }

  /**
   * Resolves once a run executing elsewhere has ended (a record that is no longer active), or null when
   * it is gone. `local` settles first when the run turns out to execute here after all.
   */
  async waitElsewhere<T>(runId: string, local: Promise<T>): Promise<RunRecord | T | null> {
    let settledHere: { value: T } | null = null;
    void local.then((value) => {
      settledHere = { value };
      this.deps.waiters.poke(runId);
    });
    for (;;) {
      const run = await this.deps.stores.runs.get(runId);
      if (settledHere) return (settledHere as { value: T }).value;
      if (!run) return null;
      if (!isActiveRunStatus(run.status)) return run;
      await this.deps.waiters.pause(runId, this.deps.worker.pollMs);
    }
  }

  /**
   * Runs whose worker died, taken over here: a requeued one is resumed by the queue (any process's); one
   * out of attempts, or cancelled meanwhile, has ended: its stream says so, its thread settles.
   */
  async takeOver(runs: ReclaimedRun[]): Promise<void> {
    const { stores, streams, logger, worker } = this.deps;
    for (const r of runs) {
      logger.warn({ run_id: r.run_id, attempt: r.attempt, outcome: r.outcome }, "took over a run whose worker stopped");
      if (r.outcome !== "requeued") {
        if (r.cancel === "rollback") await stores.checkpointAdmin.deleteRunCheckpoints(r.thread_id, r.run_id);
        await streams.reopen(r.run_id);
        if (r.outcome === "exhausted") {
          const failure = {
            error: ATTEMPTS_EXHAUSTED,
            message: `the run's worker stopped ${r.attempt} time(s) while executing it; its last checkpoint is kept`,
          };
          streams.publishJson(r.run_id, "error", toJson(failure));
        }
        await streams.finish(r.run_id);
        await settleThread(this.deps, r.thread_id, null, r.outcome === "exhausted" ? "failed" : "cancelled");
        worker.signals.runEnded(r.run_id);
        this.deps.waiters.poke(r.run_id);
      }
      worker.signals.wake(r.thread_id);
      this.deps.kick(r.thread_id);
    }
  }

  /**
   * After a restart of the only process on the database (SQLite: the file lock says so), no run can be
   * held: every `running` run is taken over at once instead of when its lease would have expired.
   */
  async takeOverAll(): Promise<void> {
    await this.takeOver(await this.deps.stores.leases.reclaimExpired(this.keeper.reclaimOptions(true)));
  }

  start(): void {
    this.keeper.start();
  }

  async stop(): Promise<void> {
    await this.keeper.stop();
  }
}
