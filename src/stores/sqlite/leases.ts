/**
 * Run leases on SQLite (columns of migration 0011; the contract is ../leases.ts). Each write is one
 * IMMEDIATE transaction, whose lock stands for the thread's lock of the contract: every connection to
 * the file waits for it, so "no run of the thread is running" and "claim this one" are one step.
 * Expiry is by this process's clock, as ISO-8601 text like every time here (one process executes the
 * runs of a file; a second connection, as in the tests, shares the machine's clock).
 *
 * `attempt` goes up when a run goes back to `pending` to be resumed (a requeue, a hand-back), so a
 * claim after either finds it counted already: the claim's run is at its previous attempt + 1.
 * A requeue also bumps the epoch, fencing the stalled worker at once (the next claim bumps it again).
 * Heartbeats (`renew`) and `requestCancel` change no field of the run's record and leave `updated_at`.
 */
import type { Statement, Transaction } from "better-sqlite3";
import type { LeaseHold, LeaseRenewal, LeaseState, ReclaimedRun, RequestedCancel, RunLeaseStore } from "../leases.ts";
import { nowIso, type SqliteDatabase } from "./database.ts";
import type { RunJsonCache } from "./run-json-cache.ts";

interface LeaseRow {
  status: string;
  worker_id: string | null;
  epoch: number;
  attempt: number;
  live: number;
}

interface ExpiredRow {
  run_id: string;
  thread_id: string;
  attempt: number;
  cancel_action: RequestedCancel | null;
}

type ReclaimOptions = Parameters<RunLeaseStore["reclaimExpired"]>[0];

const LEASE_COLUMNS = `status, worker_id, lease_epoch AS epoch, attempt,
  (status = 'running' AND lease_expires_at IS NOT NULL AND lease_expires_at > @now) AS live`;

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

function toState(row: LeaseRow): LeaseState {
  return { status: row.status, worker_id: row.worker_id, epoch: row.epoch, attempt: row.attempt, live: !!row.live };
}

export class SqliteRunLeaseStore implements RunLeaseStore {
  private readonly leaseStmt: Statement;
  private readonly cancelStmt: Statement;
  private readonly pendingThreadsStmt: Statement;
  private readonly claimTx: Transaction<
    (
      runId: string,
      threadId: string,
      worker: string,
      leaseMs: number,
    ) => { run_id: string; epoch: number; attempt: number } | null
  >;
  private readonly renewTx: Transaction<(worker: string, holds: LeaseHold[], leaseMs: number) => LeaseRenewal>;
  private readonly reclaimTx: Transaction<(opts: ReclaimOptions) => ReclaimedRun[]>;
  private readonly handBackStmt: Statement;

  constructor(
    db: SqliteDatabase,
    private readonly runJson: RunJsonCache | null = null,
  ) {
    this.leaseStmt = db.prepare(`SELECT ${LEASE_COLUMNS} FROM runs WHERE run_id = @run_id`);
    this.cancelStmt = db.prepare(
      `UPDATE runs SET cancel_action = @action WHERE run_id = @run_id AND status = 'running' RETURNING ${LEASE_COLUMNS}`,
    );
    this.pendingThreadsStmt = db
      .prepare(
        `SELECT p.thread_id FROM runs p
         WHERE p.status = 'pending'
           AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = p.thread_id AND r.status = 'running')
         GROUP BY p.thread_id
         ORDER BY MIN(p.created_at), p.thread_id
         LIMIT ?`,
      )
      .pluck();

    const running = db.prepare("SELECT 1 FROM runs WHERE thread_id = ? AND status = 'running' LIMIT 1");
    const claim = db.prepare(
      `UPDATE runs SET status = 'running', worker_id = @worker, lease_epoch = lease_epoch + 1,
         lease_expires_at = @expires, updated_at = @now
       WHERE run_id = @run_id AND thread_id = @thread_id AND status = 'pending'
       RETURNING run_id, lease_epoch AS epoch, attempt`,
    );
    this.claimTx = db.transaction((runId: string, threadId: string, worker: string, leaseMs: number) => {
      if (running.get(threadId) !== undefined) return null;
      this.runJson?.forget(runId);
      const row = claim.all({ run_id: runId, thread_id: threadId, worker, expires: inMs(leaseMs), now: nowIso() })[0];
      return (row as { run_id: string; epoch: number; attempt: number } | undefined) ?? null;
    });

    const renew = db.prepare(
      `UPDATE runs SET lease_expires_at = @expires
       WHERE run_id = @run_id AND status = 'running' AND worker_id = @worker AND lease_epoch = @epoch
       RETURNING cancel_action`,
    );
    this.renewTx = db.transaction((worker: string, holds: LeaseHold[], leaseMs: number): LeaseRenewal => {
      const out: LeaseRenewal = { lost: [], cancels: [] };
      const expires = inMs(leaseMs);
      for (const hold of holds) {
        const row = renew.all({ run_id: hold.run_id, epoch: hold.epoch, worker, expires })[0] as
          { cancel_action: RequestedCancel | null } | undefined;
        if (!row) out.lost.push(hold.run_id);
        else if (row.cancel_action) out.cancels.push({ run_id: hold.run_id, action: row.cancel_action });
      }
      return out;
    });

    // `status IN (...)` word for word, so the partial index of migration 0011 serves it.
    const expired = db.prepare(
      `SELECT run_id, thread_id, attempt, cancel_action FROM runs
       WHERE status IN ('pending', 'running') AND status = 'running'
         AND (@all OR lease_expires_at IS NULL OR lease_expires_at <= @now)
       ORDER BY created_at, run_id`,
    );
    // Every outcome clears the lease and any cancel request (the run is no longer executing anywhere).
    const cleared = "worker_id = NULL, lease_expires_at = NULL, cancel_action = NULL, updated_at = @now";
    const requeue = db.prepare(
      `UPDATE runs SET status = 'pending', attempt = attempt + 1, lease_epoch = lease_epoch + 1, ${cleared}
       WHERE run_id = @run_id`,
    );
    const end = db.prepare(
      `UPDATE runs SET status = @status, error = COALESCE(@error, error),
         stop_reason = COALESCE(@stop_reason, stop_reason), ${cleared}
       WHERE run_id = @run_id`,
    );
    this.reclaimTx = db.transaction((opts: ReclaimOptions): ReclaimedRun[] => {
      const now = nowIso();
      const rows = expired.all({ all: opts.all ? 1 : 0, now }) as ExpiredRow[];
      return rows.map((row): ReclaimedRun => {
        this.runJson?.forget(row.run_id);
        const base = { run_id: row.run_id, thread_id: row.thread_id, attempt: row.attempt };
        if (row.cancel_action) {
          const rollback = row.cancel_action === "rollback";
          end.run({
            run_id: row.run_id,
            now,
            status: rollback ? "error" : "interrupted",
            error: rollback ? opts.rolledBack : null,
            stop_reason: null,
          });
          return { ...base, outcome: "cancelled", cancel: row.cancel_action };
        }
        if (row.attempt >= opts.maxAttempts) {
          end.run({ run_id: row.run_id, now, status: "error", error: opts.failure, stop_reason: "lease_expired" });
          return { ...base, outcome: "exhausted", cancel: null };
        }
        requeue.run({ run_id: row.run_id, now });
        return { ...base, outcome: "requeued", cancel: null };
      });
    });

    this.handBackStmt = db.prepare(
      `UPDATE runs SET status = 'pending', attempt = attempt + 1, worker_id = NULL, lease_expires_at = NULL,
         updated_at = @now
       WHERE run_id = @run_id AND status = 'running' AND worker_id = @worker AND lease_epoch = @epoch`,
    );
  }

  async claim(
    runId: string,
    threadId: string,
    worker: string,
    leaseMs: number,
  ): Promise<{ run_id: string; epoch: number; attempt: number } | null> {
    return this.claimTx.immediate(runId, threadId, worker, leaseMs);
  }

  async renew(worker: string, holds: LeaseHold[], leaseMs: number): Promise<LeaseRenewal> {
    if (holds.length === 0) return { lost: [], cancels: [] };
    return this.renewTx.immediate(worker, holds, leaseMs);
  }

  async reclaimExpired(opts: ReclaimOptions): Promise<ReclaimedRun[]> {
    return this.reclaimTx.immediate(opts);
  }

  async handBack(worker: string, hold: LeaseHold): Promise<boolean> {
    this.runJson?.forget(hold.run_id);
    return this.handBackStmt.run({ run_id: hold.run_id, worker, epoch: hold.epoch, now: nowIso() }).changes > 0;
  }

  async requestCancel(runId: string, action: RequestedCancel): Promise<LeaseState | null> {
    const row = this.cancelStmt.all({ run_id: runId, action, now: nowIso() })[0] as LeaseRow | undefined;
    return row ? toState(row) : null;
  }

  async leaseOf(runId: string): Promise<LeaseState | null> {
    const row = this.leaseStmt.get({ run_id: runId, now: nowIso() }) as LeaseRow | undefined;
    return row ? toState(row) : null;
  }

  async threadsWithPending(limit: number): Promise<string[]> {
    return this.pendingThreadsStmt.all(Math.max(0, Math.floor(limit))) as string[];
  }
}
