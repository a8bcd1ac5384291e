/**
 * The vectors of store items (migration 0009_store_vectors) and the search that ranks by them.
 *
 * Ranking is exact: sqlite-vec's `vec_distance_cosine` scores every vector of the owner within the
 * prefix, and an item takes its best field (clamped to [-1, 1]: float32 rounding can step past 1). sqlite-vec is the maintained SQLite vector extension that
 * installs from npm with prebuilt binaries (no compiler). Its `vec0` virtual tables do KNN as well, but
 * they take their `k` before our owner, namespace prefix and JSON filter apply, so a page could come
 * back short. A scan of a few hundred thousand float32
 * vectors is milliseconds; a store larger than that wants Postgres and pgvector (issue 18).
 *
 * The extension is loaded on `enable()` only (when langgraph.json has `store.index`), so a platform
 * without its binary runs every other part of the server.
 */
import type { Statement } from "better-sqlite3";
import type { StoreItemVector } from "../../store-items.ts";
import type { SqliteDatabase } from "../database.ts";
import type { StatementCache } from "../sql/statements.ts";

/** Where an item is: the owner column, encoded namespace and key. */
interface ItemAt {
  owner_id: string;
  namespace: string;
  key: string;
}

/** A vector as sqlite-vec reads a blob: float32, little-endian (the platform's, which is that everywhere Node runs). */
export function vectorBlob(embedding: readonly number[]): Buffer {
  const floats = Float32Array.from(embedding);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}

export class StoreVectors {
  private readonly clearStmt: Statement;
  private readonly insertStmt: Statement;
  private enabled: Promise<void> | null = null;

  constructor(private readonly db: SqliteDatabase) {
    this.clearStmt = db.prepare(
      "DELETE FROM store_vectors WHERE owner_id = @owner_id AND namespace = @namespace AND key = @key",
    );
    this.insertStmt = db.prepare(`INSERT OR REPLACE INTO store_vectors (owner_id, namespace, key, field, embedding)
      VALUES (@owner_id, @namespace, @key, @field, @embedding)`);
  }

  /** The item's vectors set to these (inside the caller's transaction). */
  replace(at: ItemAt, vectors: readonly StoreItemVector[]): void {
    this.clearStmt.run(at);
    for (const { field, embedding } of vectors) this.insertStmt.run({ ...at, field, embedding: vectorBlob(embedding) });
  }

  enable(): Promise<void> {
    this.enabled ??= import("sqlite-vec")
      .then((vec) => vec.load(this.db))
      .catch((err: unknown) => {
        this.enabled = null;
        throw new Error(
          `semantic search (langgraph.json "store.index") needs the sqlite-vec extension, which could not be loaded on ` +
            `${process.platform}-${process.arch}: ${(err as Error).message}`,
        );
      });
    return this.enabled;
  }

  /**
   * The statement of a search by vector (`@vector` set in `params`): the items that pass `where`, each
   * with its best similarity, best first. Vectors of another length (made before `dims` changed) are skipped.
   */
  rankStatement(
    statements: StatementCache,
    shape: string,
    columns: string,
    where: readonly string[],
    params: Record<string, unknown>,
    vector: readonly number[],
  ): Statement {
    if (!this.enabled) throw new Error("a search by vector needs enableVectorSearch() first");
    params.vector = vectorBlob(vector);
    const inPrefix = "lo" in params ? "AND namespace >= @lo AND namespace < @hi" : "";
    return statements.get(
      `rank:${shape}`,
      () => `SELECT ${columns}, score FROM store_items JOIN (
          SELECT namespace AS v_namespace, key AS v_key,
            min(1.0, max(-1.0, MAX(1 - vec_distance_cosine(embedding, @vector)))) AS score
          FROM store_vectors WHERE owner_id = @owner_id ${inPrefix} AND length(embedding) = length(@vector)
          GROUP BY namespace, key
        ) ON v_namespace = namespace AND v_key = key
        WHERE ${where.join(" AND ")}
        ORDER BY score DESC, namespace, key LIMIT @limit OFFSET @offset`,
    );
  }
}
