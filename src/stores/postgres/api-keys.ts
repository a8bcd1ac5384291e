/**
 * API keys on Postgres: only each secret's hash is stored. Nothing is cached: `find` reads the row on
 * every call, so a key revoked by another process (the `keys` command, another server) stops working
 * on its next request.
 */
import type { ApiKeyRecord, ApiKeyStore, NewApiKey, StoredApiKey } from "../api-keys.ts";
import type { Queryable } from "./pool.ts";
import { isoText } from "./sql/time.ts";

/** A TIMESTAMPTZ column as the records carry times: ISO-8601 in UTC, milliseconds, `Z`. */

const RECORD_COLUMNS = `key_id, user_id, name, permissions, ${isoText("created_at")} AS created_at,
  ${isoText("revoked_at")} AS revoked_at`;

/** Only the record's fields, whatever else the row had. */
function toRecord(row: ApiKeyRecord): ApiKeyRecord {
  return {
    key_id: row.key_id,
    user_id: row.user_id,
    name: row.name,
    permissions: row.permissions,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

export class PgApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: Queryable) {}

  async insert(key: NewApiKey): Promise<ApiKeyRecord> {
    const { rows } = await this.db.query<ApiKeyRecord>(
      `INSERT INTO api_keys (key_id, user_id, name, permissions, secret_hash, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6::timestamptz)
       RETURNING ${RECORD_COLUMNS}`,
      [key.key_id, key.user_id, key.name, JSON.stringify(key.permissions), key.secret_hash, new Date().toISOString()],
    );
    return toRecord(rows[0]);
  }

  async find(keyId: string): Promise<StoredApiKey | null> {
    const { rows } = await this.db.query<StoredApiKey>(
      `SELECT ${RECORD_COLUMNS}, secret_hash FROM api_keys WHERE key_id = $1`,
      [keyId],
    );
    return rows[0] ? { ...toRecord(rows[0]), secret_hash: rows[0].secret_hash } : null;
  }

  async list(query: { user_id?: string } = {}): Promise<ApiKeyRecord[]> {
    // seq breaks ties between keys minted in the same millisecond: insertion order.
    const { rows } = await this.db.query<ApiKeyRecord>(
      `SELECT ${RECORD_COLUMNS} FROM api_keys
       WHERE $1::text IS NULL OR user_id = $1
       ORDER BY api_keys.created_at, seq`,
      [query.user_id ?? null],
    );
    return rows.map(toRecord);
  }

  async revoke(keyId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      "UPDATE api_keys SET revoked_at = $2::timestamptz WHERE key_id = $1 AND revoked_at IS NULL",
      [keyId, new Date().toISOString()],
    );
    return rowCount === 1;
  }
}
