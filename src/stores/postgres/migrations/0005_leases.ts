/**
 * Run leases (SQLite's 0011_leases; src/stores/leases.ts): which worker executes a running run, at
 * which epoch, until when. `attempt` counts the run's executions; `lease_epoch` is bumped by every
 * claim (and a requeue), so a worker that lost the run is fenced (its end of the run and its stream
 * events carry the old epoch and are refused); `cancel_action` is a cancel a client asked for
 * (`interrupt` / `rollback`) that the run's worker picks up at its next heartbeat. Unlike the other
 * times (the caller's clock, 0001), `lease_expires_at` is written and compared with the database's
 * clock (`now()`), the one clock every process sharing the database agrees on. The partial index
 * serves the sweep for expired leases of running runs.
 */
export const name = "0005_leases";

export const up = /* sql */ `
ALTER TABLE runs
  ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1,
  ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN worker_id TEXT,
  ADD COLUMN lease_expires_at TIMESTAMPTZ,
  ADD COLUMN cancel_action TEXT;
CREATE INDEX ix_runs_lease_expires ON runs (lease_expires_at) WHERE status = 'running';
`;
