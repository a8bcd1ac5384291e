/**
 * The Postgres tables of the stream log, feedback, API keys and crons (SQLite's 0001 stream_events,
 * 0003_api_keys, 0007_feedback and 0008_crons, with the same columns).
 *
 * Conventions of these tables:
 * - Times are TIMESTAMPTZ holding whole milliseconds, written from the caller's clock as ISO-8601
 *   strings (as SQLite's stores write them; `end_time` and `next_run_date` are the caller's own,
 *   truncated to milliseconds) and read back as ISO-8601 text in UTC with milliseconds and `Z`: what a
 *   caller reads is exactly what is stored, and compare-and-set on `next_run_date` compares instants.
 * - JSON is JSONB (permissions, metadata, access), but for a cron's payload, the run request its runs
 *   are made from: JSON, which keeps its text as written, `\u0000` included (JSONB refuses it), as the
 *   runs' kwargs in 0001. A stream event's `data` stays TEXT: it is replayed byte for byte, which JSONB
 *   (it normalises spacing and key order) would not keep.
 * - `seq` on feedback and api_keys is insertion order, the tie-break between rows of one millisecond
 *   (SQLite's rowid).
 * - Foreign keys as SQLite has them: a run's feedback goes with the run, a thread's crons with the
 *   thread; stream events have none (they are deleted by run, or purged once their run has ended).
 */
export const name = "0002_logs";

export const up = /* sql */ `
CREATE TABLE stream_events (
  run_id  TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  event   TEXT NOT NULL,
  data    TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE feedback (
  feedback_id  TEXT PRIMARY KEY,
  run_id       TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  thread_id    TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  message_id   TEXT,
  rating       SMALLINT NOT NULL CHECK (rating IN (1, -1)),
  comment      TEXT,
  created_at   TIMESTAMPTZ NOT NULL,
  updated_at   TIMESTAMPTZ NOT NULL,
  seq          BIGINT GENERATED ALWAYS AS IDENTITY,
  UNIQUE (run_id, user_id)
);

CREATE TABLE api_keys (
  key_id       TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL,
  name         TEXT,
  permissions  JSONB NOT NULL DEFAULT '[]',
  secret_hash  TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  revoked_at   TIMESTAMPTZ,
  seq          BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX ix_api_keys_user ON api_keys (user_id, created_at, seq);
CREATE INDEX ix_api_keys_created ON api_keys (created_at, seq);

CREATE TABLE crons (
  cron_id           TEXT PRIMARY KEY,
  assistant_id      TEXT NOT NULL,
  thread_id         TEXT REFERENCES threads (thread_id) ON DELETE CASCADE,
  schedule          TEXT NOT NULL,
  timezone          TEXT,
  end_time          TIMESTAMPTZ,
  enabled           BOOLEAN NOT NULL DEFAULT true,
  on_run_completed  TEXT,
  payload           JSON NOT NULL DEFAULT '{}',
  metadata          JSONB NOT NULL DEFAULT '{}',
  next_run_date     TIMESTAMPTZ,
  owner_id          TEXT,
  access            JSONB NOT NULL DEFAULT '{}',
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX crons_due ON crons (next_run_date) WHERE enabled AND next_run_date IS NOT NULL;
CREATE INDEX crons_thread ON crons (thread_id);
CREATE INDEX crons_owner_created ON crons (owner_id, created_at);
`;
