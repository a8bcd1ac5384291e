/**
 * Indexes for the write path and for thread lists.
 * - Every run rewrote entries in two status indexes over all runs ever made, though only
 *   pending/running runs are ever looked up by status: those indexes now hold active runs only
 *   (partial), so a finished run leaves them and they stay a few pages. Queries that use them must
 *   say `status IN ('pending', 'running')` literally.
 * - The journal's (run_id, category, seq) index goes: a run's messages are read through
 *   (run_id, seq), filtering the category among that run's entries.
 * - Thread search sorts by a time column with thread_id as the tiebreak: the indexes hold both, so
 *   a page is read in index order instead of sorting every thread; with a status filter too, for
 *   the default order (created_at).
 */
export const name = "0002_indexes";

export const up = /* sql */ `
DROP INDEX ix_runs_thread_status;
DROP INDEX ix_runs_status_created;
CREATE INDEX ix_runs_active_by_thread ON runs (thread_id, created_at, run_id) WHERE status IN ('pending', 'running');
CREATE INDEX ix_runs_active ON runs (created_at, run_id) WHERE status IN ('pending', 'running');

DROP INDEX ix_threads_created_at;
DROP INDEX ix_threads_updated_at;
CREATE INDEX ix_threads_created ON threads (created_at, thread_id);
CREATE INDEX ix_threads_updated ON threads (updated_at, thread_id);
DROP INDEX ix_threads_status;
CREATE INDEX ix_threads_status ON threads (status, created_at, thread_id);

DROP INDEX ix_run_events_run_category_seq;
`;
