/**
 * Idempotency keys (SQLite's 0010_idempotency): one row per owner and key, inserted in the
 * transaction of the admission it came with. The primary key is what makes two admissions with one
 * key, in two processes at once, end as one: the second's insert waits for the first's transaction
 * and then conflicts. `run_ids` holds the runs that admission made, in order; no foreign key, so a
 * key outlives a run deleted within its window. Times as in 0001 (TIMESTAMPTZ, the caller's clock).
 */
export const name = "0004_idempotency";

export const up = /* sql */ `
CREATE TABLE idempotency_keys (
  owner_id         TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  request_hash     TEXT NOT NULL,
  run_ids          TEXT[] NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL,
  expires_at       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (owner_id, idempotency_key)
);
CREATE INDEX ix_idempotency_keys_expires ON idempotency_keys (expires_at);
`;
