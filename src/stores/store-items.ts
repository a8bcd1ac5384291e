/**
 * Storage contract for the Store API's items (LangGraph's `BaseStore` over HTTP). Every backend
 * implements it and passes test/stores/conformance/store-items.ts.
 *
 * Each owner has a store of its own: an item is named by its owner, namespace and key, and every call
 * acts within one owner's items (null: the items of no owner, those made without authentication).
 * That is a partition, not an AccessScope filter: a key names one item only within one owner's store,
 * so a caller that sees "everything" would have no single item to get or put.
 *
 * Namespaces are handed in valid (non-empty labels without `.`; src/runtime/store/namespaces.ts).
 * An item past its expiry is gone for every read at once, before a sweep (`sweepExpired`) removes it.
 * Vectors are made by the runtime (its embeddings); a store keeps them with the item and ranks by them.
 */

/** A JSON object (as stores/types.ts defines it; not imported, which would make a loop). */
type Json = Record<string, unknown>;

export interface StoreItemRecord {
  namespace: string[];
  key: string;
  value: Json;
  created_at: string;
  updated_at: string;
  /** In a search by vector: the item's best cosine similarity to it (of its vectors). */
  score?: number;
}

/** One embedded field of an item: the path that was embedded (`$`: the whole value) and its vector. */
export interface StoreItemVector {
  field: string;
  embedding: number[];
}

export interface StoreItemPut {
  namespace: string[];
  key: string;
  value: Json;
  /** Minutes to live from now (and from each refreshing read); null or absent: no expiry. */
  ttl_minutes?: number | null;
  /** The item's vectors, replacing those it had; absent or empty: it has none (a search by vector skips it). */
  vectors?: StoreItemVector[];
}

export interface StoreItemSearch {
  /** Only namespaces starting with these whole labels; empty: all. */
  namespace_prefix: string[];
  /**
   * Each key present at the top of the value with a JSON-equal value, or an object of LangGraph's
   * operators (`$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$nin`) that the value passes.
   */
  filter?: Json;
  limit: number;
  offset: number;
  /** Items found that have a time to live start it anew. */
  refresh_ttl: boolean;
  /**
   * Rank by cosine similarity to this vector instead (best first, `score` set); only items with vectors
   * are found. Needs `enableVectorSearch` first.
   */
  vector?: number[];
}

export interface StoreNamespaceQuery {
  /** Only namespaces starting with these whole labels; empty: no condition. */
  prefix: string[];
  /** Only namespaces ending with these whole labels; empty: no condition. */
  suffix: string[];
  /** Namespaces cut to this many labels (and then listed once). */
  max_depth?: number;
  limit: number;
  offset: number;
}

export interface StoreItemStore {
  /** Inserts the item, or replaces the value (and time to live) of the owner's item there; `created_at` stays. */
  put(owner: string | null, item: StoreItemPut): Promise<void>;
  /** The owner's item, or null. With `refreshTtl`, an item with a time to live starts it anew. */
  get(owner: string | null, namespace: string[], key: string, refreshTtl: boolean): Promise<StoreItemRecord | null>;
  /** Whether the owner had such an item. */
  delete(owner: string | null, namespace: string[], key: string): Promise<boolean>;
  /** The owner's items within the prefix that pass the filter, most recently put first (ties by namespace, key). */
  search(owner: string | null, query: StoreItemSearch): Promise<StoreItemRecord[]>;
  /** The owner's namespaces that match, cut to `max_depth`, distinct, in ascending order of their labels joined by `.`. */
  listNamespaces(owner: string | null, query: StoreNamespaceQuery): Promise<string[][]>;
  /** Removes up to `limit` items (of any owner) expired by `now`; how many it removed. */
  sweepExpired(now: Date, limit: number): Promise<number>;
  /** Makes `search` by vector possible, or throws saying why it cannot be (a missing extension). */
  enableVectorSearch(): Promise<void>;
}
