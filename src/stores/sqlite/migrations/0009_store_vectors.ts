/**
 * Vectors of the Store API's items, for semantic search (langgraph.json `store.index`): one row per
 * indexed field of an item (`field` is the path that was embedded, `$` for the whole value), the
 * embedding as little-endian float32 (the form sqlite-vec's functions read). An item's vectors go with
 * it: a trigger deletes them when the item is deleted or swept, and a put replaces them.
 */
export const name = "0009_store_vectors";

export const up = /* sql */ `
CREATE TABLE store_vectors (
  owner_id   TEXT NOT NULL,
  namespace  TEXT NOT NULL,
  key        TEXT NOT NULL,
  field      TEXT NOT NULL,
  embedding  BLOB NOT NULL,
  PRIMARY KEY (owner_id, namespace, key, field)
) WITHOUT ROWID;
CREATE TRIGGER tr_store_items_delete_vectors AFTER DELETE ON store_items BEGIN
  DELETE FROM store_vectors WHERE owner_id = old.owner_id AND namespace = old.namespace AND key = old.key;
END;
`;
