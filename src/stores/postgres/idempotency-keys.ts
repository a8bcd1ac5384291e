/**
 * Idempotency keys on Postgres (table `idempotency_keys`, migration 0004), read and written by the run
 * lifecycle inside its admission transaction. Times are the caller's clock, as the other stores write.
 */
import type { IdempotencyClaim, StoredKey } from "../idempotency.ts";
import type { Queryable } from "./pool.ts";

export class PgIdempotencyKeys {
  constructor(private readonly db: Queryable) {}

  /** The owner's unexpired key, on `q` (a transaction's client, or the pool). */
  async findIn(q: Queryable, owner: string, key: string): Promise<StoredKey | null> {
    const { rows } = await q.query<{ request_hash: string; run_ids: string[] }>(
      `SELECT request_hash, run_ids FROM idempotency_keys
       WHERE owner_id = $1 AND idempotency_key = $2 AND expires_at > $3::timestamptz`,
      [owner, key, new Date().toISOString()],
    );
    return rows[0] ? { hash: rows[0].request_hash, run_ids: rows[0].run_ids } : null;
  }

  /**
   * Stores the key with its runs on `q`; false when an unexpired one is there. An insert of the same key
   * by a transaction still open waits for it, then conflicts (it committed) or goes in (it rolled back).
   */
  async claimIn(q: Queryable, claim: IdempotencyClaim, runIds: string[]): Promise<boolean> {
    const { rowCount } = await q.query(
      `INSERT INTO idempotency_keys (owner_id, idempotency_key, request_hash, run_ids, created_at, expires_at)
       VALUES ($1, $2, $3, $4::text[], $5::timestamptz, $6::timestamptz)
       ON CONFLICT (owner_id, idempotency_key) DO UPDATE SET
         request_hash = excluded.request_hash, run_ids = excluded.run_ids,
         created_at = excluded.created_at, expires_at = excluded.expires_at
       WHERE idempotency_keys.expires_at <= excluded.created_at`,
      [claim.owner, claim.key, claim.hash, runIds, new Date().toISOString(), claim.expires_at],
    );
    return (rowCount ?? 0) > 0;
  }

  async purge(now: string): Promise<number> {
    const { rowCount } = await this.db.query("DELETE FROM idempotency_keys WHERE expires_at <= $1::timestamptz", [now]);
    return rowCount ?? 0;
  }
}
