/**
 * Idempotency keys on SQLite (table `idempotency_keys`, migration 0010): read and written by the run
 * lifecycle inside its admission transaction, whose IMMEDIATE lock makes "is the key stored?" and
 * "store it" one step for every connection to the file.
 */
import type { Statement } from "better-sqlite3";
import type { IdempotencyClaim, StoredKey } from "../idempotency.ts";
import { fromJson, nowIso, toJson, type SqliteDatabase } from "./database.ts";

export class SqliteIdempotencyKeys {
  private readonly findStmt: Statement;
  private readonly claimStmt: Statement;
  private readonly purgeStmt: Statement;

  constructor(db: SqliteDatabase) {
    this.findStmt = db.prepare(
      `SELECT request_hash, run_ids FROM idempotency_keys
       WHERE owner_id = ? AND idempotency_key = ? AND expires_at > ?`,
    );
    // A row already there is taken over only once it has expired.
    this.claimStmt = db.prepare(
      `INSERT INTO idempotency_keys (owner_id, idempotency_key, request_hash, run_ids, created_at, expires_at)
       VALUES (@owner, @key, @hash, @run_ids, @now, @expires_at)
       ON CONFLICT (owner_id, idempotency_key) DO UPDATE SET
         request_hash = excluded.request_hash, run_ids = excluded.run_ids,
         created_at = excluded.created_at, expires_at = excluded.expires_at
       WHERE idempotency_keys.expires_at <= excluded.created_at`,
    );
    this.purgeStmt = db.prepare("DELETE FROM idempotency_keys WHERE expires_at <= ?");
  }

  /** The owner's unexpired key, inside the caller's transaction. */
  findRow(owner: string, key: string): StoredKey | null {
    const row = this.findStmt.get(owner, key, nowIso()) as { request_hash: string; run_ids: string } | undefined;
    return row ? { hash: row.request_hash, run_ids: fromJson<string[]>(row.run_ids, []) } : null;
  }

  /** Stores the key with its runs, inside the caller's transaction; false when an unexpired one is there. */
  claimRow(claim: IdempotencyClaim, runIds: string[]): boolean {
    const params = { ...claim, run_ids: toJson(runIds), now: nowIso() };
    return this.claimStmt.run(params).changes > 0;
  }

  purgeRows(now: string): number {
    return this.purgeStmt.run(now).changes;
  }
}
