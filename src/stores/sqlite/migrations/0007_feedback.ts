/**
 * Feedback on runs (a Threadgate/DeerFlow extension): one rating (+1 or -1) per user per run, with an
 * optional comment. Rows belong to their run: deleting the run (or its thread, which deletes its runs)
 * deletes them through the foreign key.
 */
export const name = "0007_feedback";

export const up = /* sql */ `
CREATE TABLE feedback (
  feedback_id  TEXT PRIMARY KEY,
  run_id       TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  thread_id    TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  message_id   TEXT,
  rating       INTEGER NOT NULL CHECK (rating IN (1, -1)),
  comment      TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (run_id, user_id)
);
`;
