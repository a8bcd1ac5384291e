/**
 * Storage contract for API keys (auth mode `api-keys`). A key's secret is never stored: only its hash.
 * Every backend implements this and passes test/stores/conformance/api-keys.ts.
 */

/** A key as listed: everything but its hash. */
export interface ApiKeyRecord {
  /** Public part of the key, unique; also the first part of the key itself. */
  key_id: string;
  /** The identity requests made with this key act as. */
  user_id: string;
  /** A label given at mint time, or null. */
  name: string | null;
  /** `resource:action` values, `resource:*` or `*`. */
  permissions: string[];
  created_at: string;
  /** Set once by `revoke`; a revoked key never authenticates again. */
  revoked_at: string | null;
}

export interface StoredApiKey extends ApiKeyRecord {
  /** Hex SHA-256 of the key's secret part. */
  secret_hash: string;
}

export type NewApiKey = Pick<StoredApiKey, "key_id" | "user_id" | "name" | "permissions" | "secret_hash">;

export interface ApiKeyStore {
  /** Throws when a key with that key_id exists. */
  insert(key: NewApiKey): Promise<ApiKeyRecord>;
  /** The key with its hash, revoked or not; null when no key has that id. Read fresh on every call. */
  find(keyId: string): Promise<StoredApiKey | null>;
  /** Oldest first; only that user's with `user_id`. Revoked keys included (they show `revoked_at`). */
  list(query?: { user_id?: string }): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked. False when no key has that id or it was revoked already. */
  revoke(keyId: string): Promise<boolean>;
}
