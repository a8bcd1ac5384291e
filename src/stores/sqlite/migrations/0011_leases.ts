/**
 * Run leases (src/stores/leases.ts): which worker executes a running run, at which epoch, until when.
 * `attempt` counts the run's executions (1, then + 1 each time it is resumed after its worker died or
 * handed it back); `lease_epoch` is bumped by every claim (and a requeue), so a worker that lost the run
 * is fenced; `lease_expires_at` is ISO-8601 text like the other times here; `cancel_action` is a cancel a
 * client asked for (`interrupt` / `rollback`) that the run's worker picks up at its next heartbeat.
 * One ALTER per column (SQLite adds one at a time). The index serves the sweep for expired leases; like
 * every partial index over runs here (0002), it holds the active runs only, in the same words.
 */
export const name = "0011_leases";

export const up = /* sql */ `
ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE runs ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN worker_id TEXT;
ALTER TABLE runs ADD COLUMN lease_expires_at TEXT;
ALTER TABLE runs ADD COLUMN cancel_action TEXT;
CREATE INDEX ix_runs_lease_expires ON runs (lease_expires_at) WHERE status IN ('pending', 'running');
`;
