/**
 * Idempotency keys: one row per owner and key, written in the transaction of the admission it came
 * with. `run_ids` is a JSON array of the runs that admission made (a batch's, in request order). No
 * foreign key to runs: a key outlives a run deleted within its window, so a retry learns the run is
 * gone instead of making it again. Expired rows count as absent; they are overwritten or purged.
 */
export const name = "0010_idempotency";

export const up = /* sql */ `
CREATE TABLE idempotency_keys (
  owner_id         TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  request_hash     TEXT NOT NULL,
  run_ids          TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  PRIMARY KEY (owner_id, idempotency_key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
`;
