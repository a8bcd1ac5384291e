/**
 * The Postgres tables of threads, runs and the journal (SQLite's 0001_initial, 0002_indexes and
 * 0005_thread_lifecycle, with the same columns but for the SQLite-isms).
 *
 * Conventions of these tables:
 * - Times are TIMESTAMPTZ holding whole milliseconds, written from the caller's clock (the stores
 *   pass ISO-8601 strings, as SQLite's do, so a TTL's expiry is exactly its update plus its minutes)
 *   and read back as ISO-8601 text in UTC with milliseconds and `Z` (sql/time.ts).
 * - JSON that is filtered or taken apart in SQL is JSONB (metadata, config, values, interrupts,
 *   token usage). JSON that is only kept and handed back is JSON, which keeps its text as written:
 *   a run's kwargs and a journal entry's content hold whatever a client or a model sent, `\u0000`
 *   included, which JSONB (and TEXT) refuse. For the same reason a run's `error` is a JSON string.
 * - Ids are TEXT in the database's collation (as the other tables' ids, which join on them), so an
 *   order by id (a tie-break, `sort_by: thread_id`) is the database's: byte order, as SQLite's, under
 *   C or C.UTF-8.
 * - A thread's runs go with it (foreign key); its journal entries are deleted by the stores, as
 *   SQLite's are (the journal has no foreign key: an entry's run is not checked).
 * - Active runs are found through partial indexes over pending and running runs only; the queries
 *   that use them say `status IN ('pending', 'running')` literally.
 */
export const name = "0001_threads_runs";

export const up = /* sql */ `
CREATE TABLE threads (
  thread_id         TEXT PRIMARY KEY,
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  state_updated_at  TIMESTAMPTZ NOT NULL,
  metadata          JSONB NOT NULL DEFAULT '{}',
  status            TEXT NOT NULL DEFAULT 'idle',
  config            JSONB NOT NULL DEFAULT '{}',
  state_values      JSONB,
  interrupts        JSONB NOT NULL DEFAULT '{}',
  owner_id          TEXT,
  ttl_strategy      TEXT,
  ttl_minutes       DOUBLE PRECISION,
  expires_at        TIMESTAMPTZ
);
CREATE INDEX ix_threads_created ON threads (created_at, thread_id);
CREATE INDEX ix_threads_updated ON threads (updated_at, thread_id);
CREATE INDEX ix_threads_state_updated ON threads (state_updated_at, thread_id);
CREATE INDEX ix_threads_status ON threads (status, created_at, thread_id);
CREATE INDEX ix_threads_owner ON threads (owner_id);
CREATE INDEX ix_threads_expires ON threads (expires_at) WHERE expires_at IS NOT NULL;
-- Metadata filters test containment first (sql/json-filter.ts), which this index answers.
CREATE INDEX ix_threads_metadata ON threads USING gin (metadata jsonb_path_ops);

CREATE TABLE runs (
  run_id               TEXT PRIMARY KEY,
  thread_id            TEXT NOT NULL REFERENCES threads (thread_id) ON DELETE CASCADE,
  assistant_id         TEXT NOT NULL,
  created_at           TIMESTAMPTZ NOT NULL,
  updated_at           TIMESTAMPTZ NOT NULL,
  status               TEXT NOT NULL DEFAULT 'pending',
  metadata             JSONB NOT NULL DEFAULT '{}',
  kwargs               JSON NOT NULL DEFAULT '{}',
  multitask_strategy   TEXT NOT NULL DEFAULT 'reject',
  error                JSON,
  stop_reason          TEXT,
  owner_id             TEXT,
  total_input_tokens   BIGINT NOT NULL DEFAULT 0,
  total_output_tokens  BIGINT NOT NULL DEFAULT 0,
  total_tokens         BIGINT NOT NULL DEFAULT 0,
  llm_call_count       BIGINT NOT NULL DEFAULT 0,
  lead_agent_tokens    BIGINT NOT NULL DEFAULT 0,
  subagent_tokens      BIGINT NOT NULL DEFAULT 0,
  middleware_tokens    BIGINT NOT NULL DEFAULT 0,
  token_usage_by_model JSONB NOT NULL DEFAULT '{}',
  message_count        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX ix_runs_thread_created ON runs (thread_id, created_at, run_id);
CREATE INDEX ix_runs_active_by_thread ON runs (thread_id, created_at, run_id) WHERE status IN ('pending', 'running');
CREATE INDEX ix_runs_active ON runs (created_at, run_id) WHERE status IN ('pending', 'running');

CREATE TABLE run_events (
  thread_id   TEXT NOT NULL,
  run_id      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  event_type  TEXT NOT NULL,
  category    TEXT NOT NULL,
  content     JSON NOT NULL,
  metadata    JSONB NOT NULL DEFAULT '{}',
  created_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (thread_id, seq)
);
CREATE INDEX ix_run_events_thread_category_seq ON run_events (thread_id, category, seq);
CREATE INDEX ix_run_events_run_seq ON run_events (run_id, seq);
`;
