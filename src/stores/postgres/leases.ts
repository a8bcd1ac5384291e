/**
 * Run leases on Postgres (columns of migration 0005; the contract is ../leases.ts), shared by every
 * process on the database. Lease expiry is by the database's clock (`now()`), the one clock the
 * processes agree on. A claim, a takeover and a hand-back each run in a transaction that first takes
 * the thread's advisory lock (sql/locks.ts), as an admission and a run's end do: "no run of the thread
 * is running" is answered and acted on before another process can claim, admit or end a run there.
 *
 * The sweep (`reclaimExpired`) finds its candidates without locking, then takes over each in a
 * transaction of its own: the thread's lock first, then the run's row `FOR UPDATE SKIP LOCKED` with the
 * check again (still running, still expired). Locks are always taken thread first, row second, as a
 * run's end takes them (holding row locks while waiting for a thread's lock could deadlock with it).
 * Of two processes sweeping at once, the second to get a thread's lock finds its run taken over already
 * and skips it: each run is reclaimed once.
 *
 * `attempt` goes up when a run goes back to `pending` to be resumed (a requeue, a hand-back), so a
 * claim after either finds it counted already: the claim's run is at its previous attempt + 1.
 * A requeue also bumps the epoch, fencing the stalled worker at once (the next claim bumps it again).
 * Heartbeats (`renew`) and `requestCancel` change no field of the run's record and leave `updated_at`.
 */
import type { LeaseHold, LeaseRenewal, LeaseState, ReclaimedRun, RequestedCancel, RunLeaseStore } from "../leases.ts";
import { transaction, type PgPool } from "./pool.ts";
import { LOCK_THREAD_RUNS, lockThreads } from "./sql/locks.ts";

type ReclaimOptions = Parameters<RunLeaseStore["reclaimExpired"]>[0];

const LEASE_COLUMNS = `status, worker_id, lease_epoch AS epoch, attempt,
  (status = 'running' AND lease_expires_at IS NOT NULL AND lease_expires_at > now()) AS live`;

/** `now()` + the parameter's milliseconds. */
const inMs = (param: string) => `now() + ${param}::int * interval '1 millisecond'`;

/** Expired: no lease (stored by a version without them) or past its expiry. */
const EXPIRED = "(lease_expires_at IS NULL OR lease_expires_at <= now())";

/** Every takeover clears the lease and any cancel request (the run executes nowhere now). */
const CLEARED = "worker_id = NULL, lease_expires_at = NULL, cancel_action = NULL, updated_at = $2::timestamptz";

export class PgRunLeaseStore implements RunLeaseStore {
  constructor(private readonly pool: PgPool) {}

  async claim(
    runId: string,
    threadId: string,
    worker: string,
    leaseMs: number,
  ): Promise<{ run_id: string; epoch: number; attempt: number } | null> {
    return transaction(this.pool, async (client) => {
      await lockThreads(client, LOCK_THREAD_RUNS, [threadId]);
      const running = await client.query("SELECT 1 FROM runs WHERE thread_id = $1 AND status = 'running' LIMIT 1", [
        threadId,
      ]);
      if (running.rows.length > 0) return null;
      const { rows } = await client.query<{ run_id: string; epoch: number; attempt: number }>(
        `UPDATE runs SET status = 'running', worker_id = $3, lease_epoch = lease_epoch + 1,
           lease_expires_at = ${inMs("$4")}, updated_at = $5::timestamptz
         WHERE run_id = $1 AND thread_id = $2 AND status = 'pending'
         RETURNING run_id, lease_epoch AS epoch, attempt`,
        [runId, threadId, worker, Math.round(leaseMs), new Date().toISOString()],
      );
      return rows[0] ?? null;
    });
  }

  async renew(worker: string, holds: LeaseHold[], leaseMs: number): Promise<LeaseRenewal> {
    if (holds.length === 0) return { lost: [], cancels: [] };
    const { rows } = await this.pool.query<{ run_id: string; cancel_action: RequestedCancel | null }>(
      `UPDATE runs r SET lease_expires_at = ${inMs("$4")}
       FROM unnest($2::text[], $3::int[]) AS h(run_id, epoch)
       WHERE r.run_id = h.run_id AND r.lease_epoch = h.epoch AND r.status = 'running' AND r.worker_id = $1
       RETURNING r.run_id, r.cancel_action`,
      [worker, holds.map((h) => h.run_id), holds.map((h) => h.epoch), Math.round(leaseMs)],
    );
    const renewed = new Set(rows.map((r) => r.run_id));
    return {
      lost: holds.filter((h) => !renewed.has(h.run_id)).map((h) => h.run_id),
      cancels: rows.flatMap((r) => (r.cancel_action ? [{ run_id: r.run_id, action: r.cancel_action }] : [])),
    };
  }

  async reclaimExpired(opts: ReclaimOptions): Promise<ReclaimedRun[]> {
    const { rows: candidates } = await this.pool.query<{ run_id: string; thread_id: string }>(
      `SELECT run_id, thread_id FROM runs
       WHERE status = 'running' AND ($1::boolean OR ${EXPIRED})
       ORDER BY created_at, run_id`,
      [opts.all === true],
    );
    const out: ReclaimedRun[] = [];
    for (const candidate of candidates) {
      const reclaimed = await this.reclaimOne(candidate.run_id, candidate.thread_id, opts);
      if (reclaimed) out.push(reclaimed);
    }
    return out;
  }

  /** Takes the run over, if it is still running with its lease expired (or `all`) once its thread is locked. */
  private reclaimOne(runId: string, threadId: string, opts: ReclaimOptions): Promise<ReclaimedRun | null> {
    return transaction(this.pool, async (client) => {
      await lockThreads(client, LOCK_THREAD_RUNS, [threadId]);
      const { rows } = await client.query<{ attempt: number; cancel_action: RequestedCancel | null }>(
        `SELECT attempt, cancel_action FROM runs
         WHERE run_id = $1 AND status = 'running' AND ($2::boolean OR ${EXPIRED})
         FOR UPDATE SKIP LOCKED`,
        [runId, opts.all === true],
      );
      const row = rows[0];
      if (!row) return null;
      const now = new Date().toISOString();
      const base = { run_id: runId, thread_id: threadId, attempt: row.attempt };
      const end = async (status: string, error: string | null, stopReason: string | null) =>
        client.query(
          `UPDATE runs SET status = $3, error = COALESCE($4::json, error), stop_reason = COALESCE($5, stop_reason),
             ${CLEARED}
           WHERE run_id = $1`,
          [runId, now, status, error === null ? null : JSON.stringify(error), stopReason],
        );
      if (row.cancel_action) {
        const rollback = row.cancel_action === "rollback";
        await end(rollback ? "error" : "interrupted", rollback ? opts.rolledBack : null, null);
        return { ...base, outcome: "cancelled", cancel: row.cancel_action };
      }
      if (row.attempt >= opts.maxAttempts) {
        await end("error", opts.failure, "lease_expired");
        return { ...base, outcome: "exhausted", cancel: null };
      }
      await client.query(
        `UPDATE runs SET status = 'pending', attempt = attempt + 1, lease_epoch = lease_epoch + 1, ${CLEARED}
         WHERE run_id = $1`,
        [runId, now],
      );
      return { ...base, outcome: "requeued", cancel: null };
    });
  }

  async handBack(worker: string, hold: LeaseHold): Promise<boolean> {
    const { rows } = await this.pool.query<{ thread_id: string }>("SELECT thread_id FROM runs WHERE run_id = $1", [
      hold.run_id,
    ]);
    const threadId = rows[0]?.thread_id;
    if (threadId === undefined) return false;
    return transaction(this.pool, async (client) => {
      await lockThreads(client, LOCK_THREAD_RUNS, [threadId]);
      const { rowCount } = await client.query(
        `UPDATE runs SET status = 'pending', attempt = attempt + 1, worker_id = NULL, lease_expires_at = NULL,
           updated_at = $4::timestamptz
         WHERE run_id = $1 AND status = 'running' AND worker_id = $2 AND lease_epoch = $3`,
        [hold.run_id, worker, hold.epoch, new Date().toISOString()],
      );
      return (rowCount ?? 0) > 0;
    });
  }

  async requestCancel(runId: string, action: RequestedCancel): Promise<LeaseState | null> {
    const { rows } = await this.pool.query<LeaseState>(
      `UPDATE runs SET cancel_action = $2 WHERE run_id = $1 AND status = 'running' RETURNING ${LEASE_COLUMNS}`,
      [runId, action],
    );
    return rows[0] ?? null;
  }

  async leaseOf(runId: string): Promise<LeaseState | null> {
    const { rows } = await this.pool.query<LeaseState>(`SELECT ${LEASE_COLUMNS} FROM runs WHERE run_id = $1`, [runId]);
    return rows[0] ?? null;
  }

  async threadsWithPending(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ thread_id: string }>(
      `SELECT p.thread_id FROM runs p
       WHERE p.status = 'pending'
         AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = p.thread_id AND r.status = 'running')
       GROUP BY p.thread_id
       ORDER BY MIN(p.created_at), p.thread_id
       LIMIT $1`,
      [Math.max(0, Math.floor(limit))],
    );
    return rows.map((r) => r.thread_id);
  }
}
