/**
 * Run leases: how processes that share one database share its runs (re-exported by types.ts).
 *
 * A process (a worker, named by a random id at start) executes a run only while it holds the run's
 * lease: the run is `running` with the worker's id, an epoch and an expiry that the worker renews with
 * heartbeats. Claiming a run bumps its epoch, so a worker that lost its lease (it stalled past the
 * expiry and another worker took the run over) is fenced: its end of the run, and on Postgres its
 * stream events, carry the old epoch and are refused. A run whose lease expired goes back to `pending`
 * with `attempt` + 1 and is resumed from its last checkpoint, or ends as `error` once it has had its
 * attempts. At most one run per thread is `running`, across every process: a claim takes the thread's
 * lock and finds none running. Plain types with no imports from ./types.ts (which imports these).
 */

/** A worker's hold on a run's lease: the epoch it claimed the run at. */
export interface LeaseHold {
  run_id: string;
  epoch: number;
}

/** How a client asked for a run executing elsewhere to be cancelled (the spec's cancel actions). */
export type RequestedCancel = "interrupt" | "rollback";

/** A lease for a run stored already claimed (`status: running` at admission): the admitting worker's. */
export interface NewLease {
  worker_id: string;
  /** Milliseconds from the admission until the lease expires unless renewed. */
  lease_ms: number;
}

/** What a heartbeat learned. */
export interface LeaseRenewal {
  /** Runs whose lease the worker no longer holds at the epoch it gave (taken over, ended, deleted): stop them. */
  lost: string[];
  /** Runs still held that a client asked (elsewhere) to cancel, with how. */
  cancels: { run_id: string; action: RequestedCancel }[];
}

/** A run whose lease had expired (its worker died or stalled), and what `reclaimExpired` did with it. */
export interface ReclaimedRun {
  run_id: string;
  thread_id: string;
  /**
   * `requeued`: back to `pending` with `attempt` + 1, to be resumed; `exhausted`: it had had
   * `maxAttempts` attempts and is now `error` with the given failure; `cancelled`: a client had asked
   * to cancel it, so it ends as that cancel would have ended it (`interrupted`, or for a rollback
   * `error` with the rollback's text) instead of being resumed.
   */
  outcome: "requeued" | "exhausted" | "cancelled";
  /** The cancel that was requested (`cancelled` only). */
  cancel: RequestedCancel | null;
  /** The attempt the run had when its lease expired. */
  attempt: number;
}

/** The lease's state as stored, for deciding who stops a run. */
export interface LeaseState {
  status: string;
  worker_id: string | null;
  epoch: number;
  attempt: number;
  /** True while the lease has not expired (a worker holds the run). */
  live: boolean;
}

export interface RunLeaseStore {
  /**
   * Claims the pending run `runId` of `threadId` for `worker`: in one transaction under the thread's
   * lock, and only while no run of the thread is `running` and the run is still `pending`, it becomes
   * `running` with the worker's lease (expiring in `leaseMs`) and its epoch + 1; its `attempt` is as the
   * run has it (a run goes back to `pending` with `attempt` + 1: `reclaimExpired`, `handBack`). Answers
   * the new epoch and the attempt; null when it was not claimed.
   */
  claim(
    runId: string,
    threadId: string,
    worker: string,
    leaseMs: number,
  ): Promise<{ run_id: string; epoch: number; attempt: number } | null>;
  /**
   * Extends by `leaseMs` the leases `worker` still holds among `holds` (`running`, its id, that epoch).
   * The others are `lost`; of the renewed, those with a cancel requested are in `cancels`.
   */
  renew(worker: string, holds: LeaseHold[], leaseMs: number): Promise<LeaseRenewal>;
  /**
   * Every `running` run whose lease has expired (or has none: stored by a version without leases), or
   * with `all`, every `running` run (one process alone after a restart: none can be held), each
   * taken over in one transaction with its thread's lock: see `ReclaimedRun`. Runs another process is
   * reclaiming at the same moment are skipped (each is reclaimed once). `failure` is the stored error of
   * an exhausted run; `rolledBack` that of a run whose requested rollback is carried out here.
   */
  reclaimExpired(opts: {
    maxAttempts: number;
    all?: boolean;
    failure: string;
    rolledBack: string;
  }): Promise<ReclaimedRun[]>;
  /**
   * Gives a held run back (graceful shutdown): `running` → `pending` with `attempt` + 1, lease cleared,
   * epoch kept (the next claim bumps it). False when the worker no longer held it at that epoch.
   */
  handBack(worker: string, hold: LeaseHold): Promise<boolean>;
  /**
   * Records that a client asked to cancel the run, for its worker to see at its next heartbeat (while
   * the run is `running`). Returns the lease as it stands, or null when the run is not `running`.
   */
  requestCancel(runId: string, action: RequestedCancel): Promise<LeaseState | null>;
  /** The run's lease as stored, or null when the run does not exist. */
  leaseOf(runId: string): Promise<LeaseState | null>;
  /**
   * Threads that have a `pending` run and no `running` one, oldest pending run first, at most `limit`:
   * where a worker that was not told of a run (Redis down, the admitting process died) finds work.
   */
  threadsWithPending(limit: number): Promise<string[]>;
}
