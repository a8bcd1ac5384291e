/**
 * API keys (auth mode `api-keys`). Only a hash of each key's secret is kept, so a copy of the file
 * does not hand out working keys. Keys are listed per user, oldest first.
 */
export const name = "0003_api_keys";

export const up = /* sql */ `
CREATE TABLE api_keys (
  key_id       TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL,
  name         TEXT,
  permissions  TEXT NOT NULL DEFAULT '[]',
  secret_hash  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  revoked_at   TEXT
);
CREATE INDEX ix_api_keys_user ON api_keys (user_id, created_at);
`;
