/**
 * Crons: schedules of runs. `next_run_date` is the whole scheduling state (a restart loses nothing);
 * the partial index serves the scheduler's "what is due" over enabled crons. A thread's crons go with
 * the thread (foreign key); stateless crons have no thread.
 */
export const name = "0008_crons";

export const up = /* sql */ `
CREATE TABLE crons (
  cron_id           TEXT PRIMARY KEY,
  assistant_id      TEXT NOT NULL,
  thread_id         TEXT REFERENCES threads (thread_id) ON DELETE CASCADE,
  schedule          TEXT NOT NULL,
  timezone          TEXT,
  end_time          TEXT,
  enabled           INTEGER NOT NULL DEFAULT 1,
  on_run_completed  TEXT,
  payload           TEXT NOT NULL DEFAULT '{}',
  metadata          TEXT NOT NULL DEFAULT '{}',
  next_run_date     TEXT,
  owner_id          TEXT,
  access            TEXT NOT NULL DEFAULT '{}',
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX crons_due ON crons (next_run_date) WHERE enabled = 1 AND next_run_date IS NOT NULL;
CREATE INDEX crons_thread ON crons (thread_id);
CREATE INDEX crons_owner_created ON crons (owner_id, created_at);
`;
