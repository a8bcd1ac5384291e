/**
 * Leaner indexes for the write path. Every run rewrote entries in two status indexes over all runs
 * ever made, though only pending/running runs are ever looked up by status: those indexes now hold
 * active runs only (partial), so a finished run leaves them and they stay a few pages. The owner
 * index holds owned threads only. The journal's (run_id, category, seq) index goes: a run's
 * messages are read through (run_id, seq), filtering the category among that run's entries.
 * Queries that use the partial indexes must say `status IN ('pending', 'running')` literally.
 */
export const name = "0002_active_run_indexes";

export const up = /* sql */ `
DROP INDEX ix_runs_thread_status;
DROP INDEX ix_runs_status_created;
CREATE INDEX ix_runs_active_by_thread ON runs (thread_id, created_at, run_id) WHERE status IN ('pending', 'running');
CREATE INDEX ix_runs_active ON runs (created_at, run_id) WHERE status IN ('pending', 'running');

DROP INDEX ix_threads_owner;
CREATE INDEX ix_threads_owner ON threads (owner_id) WHERE owner_id IS NOT NULL;

DROP INDEX ix_run_events_run_category_seq;
`;
