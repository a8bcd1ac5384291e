/**
 * Thread lifecycle columns.
 * - `state_updated_at`: when the thread's state (its cached values) last changed, as LangGraph
 *   Platform reports it beside `updated_at`; existing threads start from their `updated_at`.
 * - Thread TTL: the strategy and minutes a thread was given (or the server's default), and when it
 *   expires: its last update plus those minutes. The sweeper reads expired threads by `expires_at`
 *   through a partial index, which holds only threads that have one.
 */
export const name = "0005_thread_lifecycle";

export const up = /* sql */ `
ALTER TABLE threads ADD COLUMN state_updated_at TEXT;
UPDATE threads SET state_updated_at = updated_at;
CREATE INDEX ix_threads_state_updated ON threads (state_updated_at, thread_id);

ALTER TABLE threads ADD COLUMN ttl_strategy TEXT;
ALTER TABLE threads ADD COLUMN ttl_minutes REAL;
ALTER TABLE threads ADD COLUMN expires_at TEXT;
CREATE INDEX ix_threads_expires ON threads (expires_at) WHERE expires_at IS NOT NULL;
`;
