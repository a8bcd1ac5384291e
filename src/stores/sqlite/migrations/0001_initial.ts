/**
 * Initial schema: threads, runs, stream_events (SSE replay buffer) and run_events (the thread-ordered journal).
 * The LangGraph checkpointer owns its own `checkpoints` and `writes` tables (created by SqliteSaver.setup()).
 */
export const name = "0001_initial";

export const up = /* sql */ `
CREATE TABLE threads (
  thread_id     TEXT PRIMARY KEY,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  metadata      TEXT NOT NULL DEFAULT '{}',
  status        TEXT NOT NULL DEFAULT 'idle',
  config        TEXT NOT NULL DEFAULT '{}',
  state_values  TEXT,
  interrupts    TEXT NOT NULL DEFAULT '{}',
  owner_id      TEXT
);
CREATE INDEX ix_threads_created_at ON threads (created_at);
CREATE INDEX ix_threads_updated_at ON threads (updated_at);
CREATE INDEX ix_threads_status ON threads (status);
CREATE INDEX ix_threads_owner ON threads (owner_id);

CREATE TABLE runs (
  run_id               TEXT PRIMARY KEY,
  thread_id            TEXT NOT NULL REFERENCES threads (thread_id) ON DELETE CASCADE,
  assistant_id         TEXT NOT NULL,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  status               TEXT NOT NULL DEFAULT 'pending',
  metadata             TEXT NOT NULL DEFAULT '{}',
  kwargs               TEXT NOT NULL DEFAULT '{}',
  multitask_strategy   TEXT NOT NULL DEFAULT 'reject',
  error                TEXT,
  stop_reason          TEXT,
  owner_id             TEXT,
  total_input_tokens   INTEGER NOT NULL DEFAULT 0,
  total_output_tokens  INTEGER NOT NULL DEFAULT 0,
  total_tokens         INTEGER NOT NULL DEFAULT 0,
  llm_call_count       INTEGER NOT NULL DEFAULT 0,
  lead_agent_tokens    INTEGER NOT NULL DEFAULT 0,
  subagent_tokens      INTEGER NOT NULL DEFAULT 0,
  middleware_tokens    INTEGER NOT NULL DEFAULT 0,
  token_usage_by_model TEXT NOT NULL DEFAULT '{}',
  message_count        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_runs_thread_created ON runs (thread_id, created_at, run_id);
CREATE INDEX ix_runs_thread_status ON runs (thread_id, status);
CREATE INDEX ix_runs_status_created ON runs (status, created_at);

CREATE TABLE stream_events (
  run_id  TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  event   TEXT NOT NULL,
  data    TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE run_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  thread_id   TEXT NOT NULL,
  run_id      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  event_type  TEXT NOT NULL,
  category    TEXT NOT NULL,
  content     TEXT NOT NULL,
  metadata    TEXT NOT NULL DEFAULT '{}',
  created_at  TEXT NOT NULL,
  UNIQUE (thread_id, seq)
);
CREATE INDEX ix_run_events_thread_category_seq ON run_events (thread_id, category, seq);
CREATE INDEX ix_run_events_run_seq ON run_events (run_id, seq);
CREATE INDEX ix_run_events_run_category_seq ON run_events (run_id, category, seq);
`;
