/**
 * The Postgres tables of assistants and their versions, the Store API's items and their vectors
 * (SQLite's 0004_assistants, 0006_store and 0009_store_vectors, without the SQLite-isms).
 *
 * Conventions of these tables:
 * - Times are TIMESTAMPTZ holding whole milliseconds, written from the caller's clock (the stores pass
 *   JavaScript dates, so an item's expiry is exactly its put plus its minutes, as SQLite's) and read
 *   back as ISO-8601 text in UTC with milliseconds and `Z`.
 * - JSON the stores filter on or merge is JSONB (an assistant's metadata, a store item's value).
 *   JSON only kept and handed back is JSON, which keeps its text as written (an assistant's config
 *   and context may hold `\u0000`, which JSONB refuses; a store item's value cannot).
 * - Text that is sorted or ranged over is `COLLATE "C"` (byte order, as SQLite's BINARY): assistant
 *   names sort upper case first, and a namespace prefix is a range of the primary key whatever the
 *   database's collation is.
 * - A namespace is stored as its labels each followed by `.`, which no label holds (`users.alice.`):
 *   the namespaces under a prefix are the range `users.` up to `users/`, on label boundaries, with no
 *   LIKE and so no `_` or `%` to escape. The items of no owner have owner_id '' (a key column is never
 *   NULL, or two ownerless items could share a namespace and key).
 * - Vectors are `real[]` (float32, as sqlite-vec's blobs), ranked by exact cosine similarity in SQL
 *   (there is no pgvector here); an item's vectors go with it (foreign key, ON DELETE CASCADE).
 */
export const name = "0003_assistants_store";

export const up = /* sql */ `
CREATE TABLE assistants (
  assistant_id  TEXT COLLATE "C" PRIMARY KEY,
  graph_id      TEXT NOT NULL,
  name          TEXT COLLATE "C" NOT NULL,
  description   TEXT,
  config        JSON NOT NULL DEFAULT '{}',
  context       JSON NOT NULL DEFAULT '{}',
  metadata      JSONB NOT NULL DEFAULT '{}',
  version       INTEGER NOT NULL,
  owner_id      TEXT,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_assistants_owner_created ON assistants (owner_id, created_at);
CREATE INDEX ix_assistants_graph ON assistants (graph_id);

CREATE TABLE assistant_versions (
  assistant_id  TEXT COLLATE "C" NOT NULL REFERENCES assistants (assistant_id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  graph_id      TEXT NOT NULL,
  name          TEXT COLLATE "C" NOT NULL,
  description   TEXT,
  config        JSON NOT NULL DEFAULT '{}',
  context       JSON NOT NULL DEFAULT '{}',
  metadata      JSONB NOT NULL DEFAULT '{}',
  created_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (assistant_id, version)
);

CREATE TABLE store_items (
  owner_id     TEXT COLLATE "C" NOT NULL,
  namespace    TEXT COLLATE "C" NOT NULL,
  key          TEXT COLLATE "C" NOT NULL,
  value        JSONB NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  updated_at   TIMESTAMPTZ NOT NULL,
  ttl_minutes  DOUBLE PRECISION,
  expires_at   TIMESTAMPTZ,
  PRIMARY KEY (owner_id, namespace, key)
);
CREATE INDEX ix_store_items_updated ON store_items (owner_id, updated_at);
CREATE INDEX ix_store_items_expires ON store_items (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE store_vectors (
  owner_id   TEXT COLLATE "C" NOT NULL,
  namespace  TEXT COLLATE "C" NOT NULL,
  key        TEXT COLLATE "C" NOT NULL,
  field      TEXT NOT NULL,
  embedding  REAL[] NOT NULL,
  PRIMARY KEY (owner_id, namespace, key, field),
  FOREIGN KEY (owner_id, namespace, key) REFERENCES store_items (owner_id, namespace, key) ON DELETE CASCADE
);
`;
