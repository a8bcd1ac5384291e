/**
 * The Store API's items in SQLite (migration 0006_store). A namespace is its labels each followed by
 * `.` (`["users", "alice"]` is `users.alice.`): a prefix of whole labels is a range of the primary key.
 * Vectors (0009_store_vectors) are ranked with sqlite-vec's `vec_distance_cosine`, exactly: every vector
 * within the owner's prefix is scored (vectors.ts).
 */
import type { Statement } from "better-sqlite3";
import { registerStoreFilter } from "../sql/store-filter.ts";
import { StatementCache } from "../sql/statements.ts";
import type {
  StoreItemPut,
  StoreItemRecord,
  StoreItemSearch,
  StoreItemStore,
  StoreNamespaceQuery,
} from "../../store-items.ts";
import type { Json } from "../../types.ts";
import { fromJson, nowIso, type SqliteDatabase } from "../database.ts";
import { StoreVectors } from "./vectors.ts";

interface ItemRow {
  namespace: string;
  key: string;
  value: string;
  created_at: string;
  updated_at: string;
  ttl_minutes: number | null;
  score?: number;
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
function prefixRange(prefix: readonly string[]): { lo: string; hi: string } {
  const lo = encodeNamespace(prefix);
  return { lo, hi: `${lo.slice(0, -1)}/` };
}

const expiresAt = (ttlMinutes: number | null | undefined, now: number) =>
  ttlMinutes == null ? null : new Date(now + ttlMinutes * 60_000).toISOString();

function toRecord(row: ItemRow): StoreItemRecord {
  return {
    namespace: decodeNamespace(row.namespace),
    key: row.key,
    value: fromJson<Json>(row.value, {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.score === undefined ? {} : { score: row.score }),
  };
}

/** SQL functions: `tg_store_filter` (sql/store-filter.ts) and `tg_store_ns_cut(ns, depth)`, a namespace cut to `depth` labels. */
function registerFunctions(db: SqliteDatabase): void {
  registerStoreFilter(db);
  db.function("tg_store_ns_cut", { deterministic: true }, (ns: unknown, depth: unknown) => {
    const text = String(ns);
    let end = -1;
    for (let n = 0; n < Number(depth); n++) {
      end = text.indexOf(".", end + 1);
      if (end < 0) return text;
    }
    return text.slice(0, end + 1);
  });
}

const COLUMNS = "namespace, key, value, created_at, updated_at, ttl_minutes";
/** An item is there until its expiry: reads do not wait for the sweep. */
const LIVE = "(expires_at IS NULL OR expires_at > @now)";

/** The parameters and conditions every listing starts from: the owner's live items, a page of them. */
function livePage(owner: string | null, page: { limit: number; offset: number }) {
  const params: Record<string, unknown> = {
    owner_id: ownerKey(owner),
    limit: Math.max(0, Math.floor(page.limit)),
    offset: Math.max(0, Math.floor(page.offset)),
    now: nowIso(),
  };
  return { params, where: ["owner_id = @owner_id", LIVE] };
}

export class SqliteStoreItemStore implements StoreItemStore {
  private readonly putStmt: Statement;
  private readonly getStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly refreshStmt: Statement;
  private readonly sweepStmt: Statement;
  private readonly statements: StatementCache;
  private readonly vectors: StoreVectors;

  constructor(private readonly db: SqliteDatabase) {
    registerFunctions(db);
    this.statements = new StatementCache(db);
    this.putStmt = db.prepare(`
      INSERT INTO store_items (owner_id, namespace, key, value, created_at, updated_at, ttl_minutes, expires_at)
      VALUES (@owner_id, @namespace, @key, @value, @now, @now, @ttl_minutes, @expires_at)
      ON CONFLICT (owner_id, namespace, key) DO UPDATE SET value = excluded.value,
        updated_at = excluded.updated_at, ttl_minutes = excluded.ttl_minutes, expires_at = excluded.expires_at`);
    this.getStmt = db.prepare(
      `SELECT ${COLUMNS} FROM store_items WHERE owner_id = @owner_id AND namespace = @namespace AND key = @key AND ${LIVE}`,
    );
    this.deleteStmt = db.prepare("DELETE FROM store_items WHERE owner_id = ? AND namespace = ? AND key = ?");
    this.refreshStmt = db.prepare(
      "UPDATE store_items SET expires_at = ? WHERE owner_id = ? AND namespace = ? AND key = ? AND ttl_minutes IS NOT NULL",
    );
    // Row values: the table has no rowid. The partial index on expires_at finds the expired.
    this.sweepStmt = db.prepare(`DELETE FROM store_items WHERE (owner_id, namespace, key) IN
      (SELECT owner_id, namespace, key FROM store_items WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)`);
    this.vectors = new StoreVectors(db);
  }

  /** A read's items with a time to live start it anew, from now. */
  private refresh(owner: string, rows: readonly ItemRow[]): void {
    const now = Date.now();
    for (const row of rows)
      if (row.ttl_minutes !== null)
        this.refreshStmt.run(expiresAt(row.ttl_minutes, now), owner, row.namespace, row.key);
  }

  async put(owner: string | null, item: StoreItemPut): Promise<void> {
    const now = Date.now();
    const at = { owner_id: ownerKey(owner), namespace: encodeNamespace(item.namespace), key: item.key };
    this.db.transaction(() => {
      this.putStmt.run({
        ...at,
        value: JSON.stringify(item.value),
        now: new Date(now).toISOString(),
        ttl_minutes: item.ttl_minutes ?? null,
        expires_at: expiresAt(item.ttl_minutes, now),
      });
      this.vectors.replace(at, item.vectors ?? []);
    })();
  }

  async get(
    owner: string | null,
    namespace: string[],
    key: string,
    refreshTtl: boolean,
  ): Promise<StoreItemRecord | null> {
    const o = ownerKey(owner);
    const row = this.getStmt.get({ owner_id: o, namespace: encodeNamespace(namespace), key, now: nowIso() }) as
      ItemRow | undefined;
    if (!row) return null;
    if (refreshTtl) this.refresh(o, [row]);
    return toRecord(row);
  }

  async delete(owner: string | null, namespace: string[], key: string): Promise<boolean> {
    return this.deleteStmt.run(ownerKey(owner), encodeNamespace(namespace), key).changes > 0;
  }

  async search(owner: string | null, query: StoreItemSearch): Promise<StoreItemRecord[]> {
    const { params, where } = livePage(owner, query);
    if (query.namespace_prefix.length > 0) {
      Object.assign(params, prefixRange(query.namespace_prefix));
      where.push("namespace >= @lo AND namespace < @hi");
    }
    if (query.filter && Object.keys(query.filter).length > 0) {
      params.filter = JSON.stringify(query.filter);
      where.push("tg_store_filter(value, @filter)");
    }
    const shape = `${"lo" in params ? "p" : ""}${"filter" in params ? "f" : ""}`;
    const stmt = query.vector
      ? this.vectors.rankStatement(this.statements, shape, COLUMNS, where, params, query.vector)
      : this.statements.get(
          `search:${shape}`,
          () => `SELECT ${COLUMNS} FROM store_items WHERE ${where.join(" AND ")}
        ORDER BY updated_at DESC, namespace, key LIMIT @limit OFFSET @offset`,
        );
    return this.db.transaction(() => {
      const rows = stmt.all(params) as ItemRow[];
      if (query.refresh_ttl) this.refresh(params.owner_id as string, rows);
      return rows.map(toRecord);
    })();
  }

  async listNamespaces(owner: string | null, query: StoreNamespaceQuery): Promise<string[][]> {
    const { params, where } = livePage(owner, query);
    let shape = "";
    if (query.prefix.length > 0) {
      Object.assign(params, prefixRange(query.prefix));
      where.push("namespace >= @lo AND namespace < @hi");
      shape += "p";
    }
    if (query.suffix.length > 0) {
      params.suffix = encodeNamespace(query.suffix);
      // The whole namespace, or its end after a label boundary.
      where.push("(namespace = @suffix OR substr(namespace, -(length(@suffix) + 1)) = '.' || @suffix)");
      shape += "s";
    }
    let ns = "namespace";
    if (query.max_depth !== undefined) {
      params.depth = Math.max(1, Math.floor(query.max_depth));
      ns = "tg_store_ns_cut(namespace, @depth)";
      shape += "d";
    }
    const stmt = this.statements
      .get(
        `namespaces:${shape}`,
        () => `SELECT DISTINCT ${ns} AS ns FROM store_items WHERE ${where.join(" AND ")}
        ORDER BY ns LIMIT @limit OFFSET @offset`,
      )
      .pluck();
    return (stmt.all(params) as string[]).map(decodeNamespace);
  }

  async sweepExpired(now: Date, limit: number): Promise<number> {
    return this.sweepStmt.run(now.toISOString(), Math.max(1, Math.floor(limit))).changes;
  }

  async enableVectorSearch(): Promise<void> {
    await this.vectors.enable();
  }
}
