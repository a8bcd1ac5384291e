/**
 * The Store API's items. Each owner's store apart (`owner_id`, '' for the items of no owner: a primary
 * key column must not be NULL, or two ownerless items could share a namespace and key). A namespace is
 * stored as its labels each followed by `.`, which no label holds (`users.alice.`): the namespaces under
 * a prefix are then a range of the primary key (`users.` up to `users/`), on label boundaries, with no
 * LIKE and so no `_` or `%` to escape. `expires_at` is the item's last put (or refreshing read) plus its
 * `ttl_minutes`; a sweep will read it through the partial index.
 */
export const name = "0006_store";

export const up = /* sql */ `
CREATE TABLE store_items (
  owner_id     TEXT NOT NULL,
  namespace    TEXT NOT NULL,
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  ttl_minutes  REAL,
  expires_at   TEXT,
  PRIMARY KEY (owner_id, namespace, key)
) WITHOUT ROWID;
CREATE INDEX ix_store_items_updated ON store_items (owner_id, updated_at);
CREATE INDEX ix_store_items_expires ON store_items (expires_at) WHERE expires_at IS NOT NULL;
`;
