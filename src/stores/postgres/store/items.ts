/**
 * The Store API's items in Postgres (migration 0003_assistants_store). A namespace is its labels each
 * followed by `.` (`["users", "alice"]` is `users.alice.`): a prefix of whole labels is a range of the
 * primary key (byte order: the columns are COLLATE "C"). An item past its expiry is gone for every read
 * at once; `sweepExpired` removes it (its vectors with it: foreign key). Vectors: vectors.ts.
 */
import type {
  StoreItemPut,
  StoreItemRecord,
  StoreItemSearch,
  StoreItemStore,
  StoreNamespaceQuery,
} from "../../store-items.ts";
import type { Json } from "../../types.ts";
import { transaction, type PgPool, type Queryable } from "../pool.ts";
import { Params } from "../sql/params.ts";
import { isoColumn } from "../sql/time.ts";
import { storeFilterSql } from "./filter.ts";
import { rankedSql, replaceVectors } from "./vectors.ts";

interface ItemRow {
  namespace: string;
  key: string;
  value: Json;
  created_at: string;
  updated_at: string;
  ttl_minutes: number | null;
  score?: number | null;
}

/** The owner column: '' for no owner (a primary key column is never NULL). */
const ownerKey = (owner: string | null) => owner ?? "";

export function encodeNamespace(namespace: readonly string[]): string {
  return namespace.map((label) => `${label}.`).join("");
}

export function decodeNamespace(text: string): string[] {
  return text === "" ? [] : text.slice(0, -1).split(".");
}

/** Every encoded namespace starting with the encoded prefix `lo` lies in [lo, hi): `.` + 1 is `/`. */
function prefixSql(column: string, prefix: readonly string[], p: Params): string {
  const lo = encodeNamespace(prefix);
  return `${column} >= ${p.add(lo)} AND ${column} < ${p.add(`${lo.slice(0, -1)}/`)}`;
}

/** Whole milliseconds, as every time these tables hold. */
const expiresAt = (ttlMinutes: number | null | undefined, now: number) =>
  ttlMinutes == null ? null : new Date(Math.trunc(now + ttlMinutes * 60_000));

function toRecord(row: ItemRow): StoreItemRecord {
  return {
    namespace: decodeNamespace(row.namespace),
    key: row.key,
    value: row.value ?? {},
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.score === undefined ? {} : { score: row.score as number }),
  };
}

/** What reads select of an item (times as ISO text: sql/time.ts). */
const COLUMNS = `i.namespace, i.key, i.value, ${isoColumn("i.created_at")}, ${isoColumn("i.updated_at")}, i.ttl_minutes`;
const page = (n: number) => Math.max(0, Math.floor(n));

/** The conditions every listing starts from: the owner's live items (reads do not wait for the sweep). */
function liveWhere(owner: string | null, p: Params): string[] {
  return [`i.owner_id = ${p.add(ownerKey(owner))}`, `(i.expires_at IS NULL OR i.expires_at > ${p.add(new Date())})`];
}

export class PgStoreItemStore implements StoreItemStore {
  private vectorSearch = false;

  constructor(private readonly pool: PgPool) {}

  /** A read's items with a time to live start it anew, from now. */
  private async refresh(q: Queryable, owner: string, rows: readonly ItemRow[]): Promise<void> {
    const live = rows.filter((r) => r.ttl_minutes !== null);
    if (live.length === 0) return;
    await q.query(
      `UPDATE store_items AS i
       SET expires_at = date_trunc('milliseconds', $2::timestamptz + i.ttl_minutes * interval '1 minute')
       FROM unnest($3::text[], $4::text[]) AS r (namespace, key)
       WHERE i.owner_id = $1 AND i.namespace = r.namespace AND i.key = r.key AND i.ttl_minutes IS NOT NULL`,
      [owner, new Date(), live.map((r) => r.namespace), live.map((r) => r.key)],
    );
  }

  async put(owner: string | null, item: StoreItemPut): Promise<void> {
    const now = Date.now();
    const at = { owner_id: ownerKey(owner), namespace: encodeNamespace(item.namespace), key: item.key };
    await transaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO store_items (owner_id, namespace, key, value, created_at, updated_at, ttl_minutes, expires_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $5, $6, $7)
         ON CONFLICT (owner_id, namespace, key) DO UPDATE SET value = excluded.value,
           updated_at = excluded.updated_at, ttl_minutes = excluded.ttl_minutes, expires_at = excluded.expires_at`,
        [
          at.owner_id,
          at.namespace,
          at.key,
          JSON.stringify(item.value),
          new Date(now),
          item.ttl_minutes ?? null,
          expiresAt(item.ttl_minutes, now),
        ],
      );
      await replaceVectors(client, at, item.vectors ?? []);
    });
  }

  async get(
    owner: string | null,
    namespace: string[],
    key: string,
    refreshTtl: boolean,
  ): Promise<StoreItemRecord | null> {
    const p = new Params();
    const where = [
      ...liveWhere(owner, p),
      `i.namespace = ${p.add(encodeNamespace(namespace))}`,
      `i.key = ${p.add(key)}`,
    ];
    const { rows } = await this.pool.query<ItemRow>(
      `SELECT ${COLUMNS} FROM store_items AS i WHERE ${where.join(" AND ")}`,
      p.values,
    );
    if (!rows[0]) return null;
    if (refreshTtl) await this.refresh(this.pool, ownerKey(owner), rows);
    return toRecord(rows[0]);
  }

  async delete(owner: string | null, namespace: string[], key: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "DELETE FROM store_items WHERE owner_id = $1 AND namespace = $2 AND key = $3",
      [ownerKey(owner), encodeNamespace(namespace), key],
    );
    return (rowCount ?? 0) > 0;
  }

  async search(owner: string | null, query: StoreItemSearch): Promise<StoreItemRecord[]> {
    const p = new Params();
    const where = liveWhere(owner, p);
    if (query.namespace_prefix.length > 0) where.push(prefixSql("i.namespace", query.namespace_prefix, p));
    where.push(...storeFilterSql("i.value", query.filter, p));
    let sql: string;
    if (query.vector) {
      if (!this.vectorSearch) throw new Error("a search by vector needs enableVectorSearch() first");
      const inPrefix = query.namespace_prefix.length > 0 ? prefixSql("v.namespace", query.namespace_prefix, p) : "";
      sql = `SELECT ${COLUMNS}, ranked.score FROM store_items AS i
        JOIN ${rankedSql(ownerKey(owner), query.vector, inPrefix, p)}
          ON ranked.namespace = i.namespace AND ranked.key = i.key
        WHERE ${where.join(" AND ")}
        ORDER BY ranked.score DESC NULLS LAST, i.namespace, i.key`;
    } else {
      sql = `SELECT ${COLUMNS} FROM store_items AS i WHERE ${where.join(" AND ")}
        ORDER BY i.updated_at DESC, i.namespace, i.key`;
    }
    sql += ` LIMIT ${p.add(page(query.limit))} OFFSET ${p.add(page(query.offset))}`;
    const read = async (q: Queryable) => {
      const { rows } = await q.query<ItemRow>(sql, p.values);
      if (query.refresh_ttl) await this.refresh(q, ownerKey(owner), rows);
      return rows.map(toRecord);
    };
    return query.refresh_ttl ? transaction(this.pool, read) : read(this.pool);
  }

  async listNamespaces(owner: string | null, query: StoreNamespaceQuery): Promise<string[][]> {
    const p = new Params();
    const where = liveWhere(owner, p);
    if (query.prefix.length > 0) where.push(prefixSql("i.namespace", query.prefix, p));
    if (query.suffix.length > 0) {
      const suffix = p.add(encodeNamespace(query.suffix));
      // The whole namespace, or its end after a label boundary.
      where.push(`(i.namespace = ${suffix} OR right(i.namespace, length(${suffix}) + 1) = '.' || ${suffix})`);
    }
    let ns = "i.namespace";
    if (query.max_depth !== undefined) {
      // The first `depth` labels (the encoded form without its last `.`, split, cut, joined again).
      const depth = p.add(Math.max(1, Math.floor(query.max_depth)));
      ns = `CASE WHEN i.namespace = '' THEN '' ELSE
        array_to_string((string_to_array(left(i.namespace, -1), '.'))[1:${depth}::integer], '.') || '.' END`;
    }
    const { rows } = await this.pool.query<{ ns: string }>(
      `SELECT DISTINCT (${ns}) COLLATE "C" AS ns FROM store_items AS i WHERE ${where.join(" AND ")}
       ORDER BY ns LIMIT ${p.add(page(query.limit))} OFFSET ${p.add(page(query.offset))}`,
      p.values,
    );
    return rows.map((r) => decodeNamespace(r.ns));
  }

  async sweepExpired(now: Date, limit: number): Promise<number> {
    // Rows another sweep (or a put) holds are left to the next one.
    const { rowCount } = await this.pool.query(
      `DELETE FROM store_items WHERE (owner_id, namespace, key) IN (
         SELECT owner_id, namespace, key FROM store_items
         WHERE expires_at IS NOT NULL AND expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [now, Math.max(1, Math.floor(limit))],
    );
    return rowCount ?? 0;
  }

  /** Exact cosine similarity needs no extension: always possible. */
  async enableVectorSearch(): Promise<void> {
    this.vectorSearch = true;
  }
}
