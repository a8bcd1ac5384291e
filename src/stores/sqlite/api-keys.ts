import type { Statement } from "better-sqlite3";
import type { ApiKeyRecord, ApiKeyStore, NewApiKey, StoredApiKey } from "../api-keys.ts";
import { fromJson, nowIso, toJson, writeReturning, type SqliteDatabase } from "./database.ts";

interface ApiKeyRow {
  key_id: string;
  user_id: string;
  name: string | null;
  permissions: string;
  secret_hash?: string;
  created_at: string;
  revoked_at: string | null;
}

const RECORD_COLUMNS = "key_id, user_id, name, permissions, created_at, revoked_at";

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    key_id: row.key_id,
    user_id: row.user_id,
    name: row.name,
    permissions: fromJson<string[]>(row.permissions, []),
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

/**
 * Nothing is cached: `find` reads the row on every call, so a key revoked from another process
 * (the `keys` command beside a running server) stops working on the next request.
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  private readonly insertStmt: Statement;
  private readonly findStmt: Statement;
  private readonly listStmt: Statement;
  private readonly revokeStmt: Statement;

  constructor(db: SqliteDatabase) {
    this.insertStmt = db.prepare(
      `INSERT INTO api_keys (key_id, user_id, name, permissions, secret_hash, created_at)
       VALUES (@key_id, @user_id, @name, @permissions, @secret_hash, @created_at)
       RETURNING ${RECORD_COLUMNS}`,
    );
    this.findStmt = db.prepare(`SELECT ${RECORD_COLUMNS}, secret_hash FROM api_keys WHERE key_id = ?`);
    // rowid breaks ties between keys minted in the same millisecond: insertion order.
    this.listStmt = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM api_keys WHERE @user_id IS NULL OR user_id = @user_id ORDER BY created_at, rowid`,
    );
    this.revokeStmt = db.prepare("UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL");
  }

  async insert(key: NewApiKey): Promise<ApiKeyRecord> {
    const row = writeReturning<ApiKeyRow>(this.insertStmt, {
      key_id: key.key_id,
      user_id: key.user_id,
      name: key.name,
      permissions: toJson(key.permissions),
      secret_hash: key.secret_hash,
      created_at: nowIso(),
    });
    return toRecord(row!);
  }

  async find(keyId: string): Promise<StoredApiKey | null> {
    const row = this.findStmt.get(keyId) as ApiKeyRow | undefined;
    return row ? { ...toRecord(row), secret_hash: row.secret_hash! } : null;
  }

  async list(query: { user_id?: string } = {}): Promise<ApiKeyRecord[]> {
    return (this.listStmt.all({ user_id: query.user_id ?? null }) as ApiKeyRow[]).map(toRecord);
  }

  async revoke(keyId: string): Promise<boolean> {
    return this.revokeStmt.run(nowIso(), keyId).changes === 1;
  }
}
