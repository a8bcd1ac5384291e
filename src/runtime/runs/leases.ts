/**
 * This process as a worker among others on one database: its id, the leases it holds on the runs it
 * executes, and the heartbeat that renews them (a third of the lease, so two beats can be missed).
 * A beat also tells it of runs it lost (another worker took them over: they are stopped here, and
 * their writes are fenced by the store) and of cancels clients asked for elsewhere. Where processes
 * share the database, each beat also takes over runs whose worker died (their lease expired) and looks
 * for threads with runs waiting, in case no signal said so (Redis down, or the admitting process died).
 */
import { v4 as uuidv4 } from "uuid";
import type { Logger } from "../../logger.ts";
import type { LeaseHold, ReclaimedRun, RequestedCancel, Stores } from "../../stores/types.ts";
import type { ClusterSignals } from "../../cluster/signals.ts";
import { ROLLED_BACK } from "../graphs/run.ts";

export interface WorkerSettings {
  /** This process's id in the database's leases (random per start). */
  workerId: string;
  leaseMs: number;
  /** Attempts a run gets, the first included, before a run whose worker keeps dying ends as `error`. */
  maxAttempts: number;
  /** Processes share the database (Postgres): runs may execute elsewhere, and are followed through it. */
  shared: boolean;
  /** Looks at the database for other processes' doings this often when no signal says (Redis down). */
  pollMs: number;
  signals: ClusterSignals;
}

export function workerSettings(opts: Partial<WorkerSettings> & Pick<WorkerSettings, "signals">): WorkerSettings {
  return { workerId: uuidv4(), leaseMs: 30_000, maxAttempts: 3, shared: false, pollMs: 500, ...opts };
}

/** The stored error of a run that ran out of attempts. */
export const ATTEMPTS_EXHAUSTED = "RunAttemptsExhausted";

export interface LeaseHooks {
  /** The run's lease is no longer this worker's: stop executing it, writing nothing. */
  lost(runId: string): void;
  /** A client elsewhere asked to cancel a run executing here. */
  cancel(runId: string, action: RequestedCancel): void;
  /** Runs whose worker died, taken over by this process. */
  reclaimed(runs: ReclaimedRun[]): Promise<void>;
  /** Threads that have runs waiting and none running. */
  wake(threadIds: string[]): void;
}

export class LeaseKeeper {
  private readonly holds = new Map<string, number>();
  private beatTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly stores: Stores,
    readonly settings: WorkerSettings,
    private readonly logger: Logger,
    private readonly hooks: LeaseHooks,
  ) {}

  get workerId(): string {
    return this.settings.workerId;
  }

  hold(runId: string, epoch: number): void {
    this.holds.set(runId, epoch);
  }

  release(runId: string): void {
    this.holds.delete(runId);
  }

  epochOf(runId: string): number | undefined {
    return this.holds.get(runId);
  }

  start(): void {
    const beatMs = Math.max(50, Math.floor(this.settings.leaseMs / 3));
    this.beatTimer = setInterval(() => void this.beat(), beatMs);
    this.beatTimer.unref();
    if (!this.settings.shared) return;
    // Without signals the sweep is how queued runs on idle threads get found: as often as the poll says.
    const sweepMs = () => (this.settings.signals.live ? beatMs : Math.min(beatMs, this.settings.pollMs));
    const next = () => {
      this.sweepTimer = setTimeout(() => void this.sweep().finally(() => !this.stopped && next()), sweepMs());
      this.sweepTimer.unref();
    };
    void this.sweep().finally(next);
  }

  /** Renews the leases held; stops what was lost, carries out cancels asked for elsewhere. */
  beat(): Promise<void> {
    this.beating ??= this.renew().finally(() => (this.beating = null));
    return this.beating;
  }

  private async renew(): Promise<void> {
    if (this.holds.size === 0) return;
    const holds: LeaseHold[] = [...this.holds].map(([run_id, epoch]) => ({ run_id, epoch }));
    try {
      const { lost, cancels } = await this.stores.leases.renew(this.workerId, holds, this.settings.leaseMs);
      for (const runId of lost) {
        if (!this.holds.has(runId)) continue; // ended meanwhile
        this.holds.delete(runId);
        this.logger.warn({ run_id: runId, worker_id: this.workerId }, "lost the lease of a run; stopping it here");
        this.hooks.lost(runId);
      }
      for (const { run_id, action } of cancels) this.hooks.cancel(run_id, action);
    } catch (err) {
      this.logger.error({ err }, "could not renew run leases");
    }
  }

  /** Takes over runs whose worker died, and wakes threads with runs waiting. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    if (this.stopped) return;
    try {
      const reclaimed = await this.stores.leases.reclaimExpired(this.reclaimOptions(false));
      if (reclaimed.length > 0) await this.hooks.reclaimed(reclaimed);
      if (this.stopped) return;
      const threads = await this.stores.leases.threadsWithPending(100);
      if (threads.length > 0) this.hooks.wake(threads);
    } catch (err) {
      this.logger.error({ err }, "could not look for runs to take over");
    }
  }

  /** What reclaimExpired is told; `all` after a restart of the only process (SQLite). */
  reclaimOptions(all: boolean) {
    const { maxAttempts } = this.settings;
    return {
      maxAttempts,
      all,
      failure: `${ATTEMPTS_EXHAUSTED}: the run's worker stopped ${maxAttempts} time(s) while executing it; its last checkpoint is kept`,
      rolledBack: ROLLED_BACK,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.beatTimer);
    clearTimeout(this.sweepTimer);
    await this.sweeping;
    await this.beating;
  }
}
