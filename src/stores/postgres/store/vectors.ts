/**
 * The vectors of store items (`store_vectors`, `real[]`) and the search that ranks by them, exactly:
 * with no pgvector here, the cosine similarity of every vector of the owner within the prefix is
 * computed in SQL (the sum of products over the norms, in double precision), and an item takes its
 * best field, clamped to [-1, 1], as SQLite's `1 - vec_distance_cosine` is. A vector with no length
 * (all zeros) scores NULL, as sqlite-vec's NaN does, and ranks last. Vectors of another length than
 * the query's (made before `dims` changed) are skipped.
 */
import type { StoreItemVector } from "../../store-items.ts";
import type { Queryable } from "../pool.ts";
import type { Params } from "../sql/params.ts";

/** Where an item is: the owner column, encoded namespace and key. */
export interface ItemAt {
  owner_id: string;
  namespace: string;
  key: string;
}

/** The item's vectors set to these (inside the caller's transaction). */
export async function replaceVectors(q: Queryable, at: ItemAt, vectors: readonly StoreItemVector[]): Promise<void> {
  await q.query("DELETE FROM store_vectors WHERE owner_id = $1 AND namespace = $2 AND key = $3", [
    at.owner_id,
    at.namespace,
    at.key,
  ]);
  if (vectors.length === 0) return;
  await q.query(
    `INSERT INTO store_vectors (owner_id, namespace, key, field, embedding)
     SELECT $1, $2, $3, v.field, v.embedding::real[]
     FROM jsonb_to_recordset($4::jsonb) AS v (field text, embedding text)
     ON CONFLICT (owner_id, namespace, key, field) DO UPDATE SET embedding = excluded.embedding`,
    [
      at.owner_id,
      at.namespace,
      at.key,
      JSON.stringify(vectors.map((v) => ({ field: v.field, embedding: arrayLiteral(v.embedding) }))),
    ],
  );
}

/** A vector as a Postgres array literal. */
function arrayLiteral(embedding: readonly number[]): string {
  return `{${embedding.map((x) => (Number.isFinite(x) ? String(x) : "NaN")).join(",")}}`;
}

/**
 * The relation `ranked (namespace, key, score)` of the owner's items with vectors, each with its best
 * similarity to `vector`; `inPrefix` the condition on `namespace` (or "").
 */
export function rankedSql(owner: string, vector: readonly number[], inPrefix: string, p: Params): string {
  const q = `${p.add(arrayLiteral(vector))}::float8[]`;
  return `(
    SELECT namespace, key, CASE WHEN MAX(sim) IS NULL THEN NULL ELSE LEAST(1.0, GREATEST(-1.0, MAX(sim))) END AS score
    FROM (
      SELECT v.namespace, v.key,
        (SELECT SUM(a * b) / NULLIF(SQRT(SUM(a * a)) * SQRT(SUM(b * b)), 0)
         FROM unnest(v.embedding::float8[], ${q}) AS t (a, b)) AS sim
      FROM store_vectors v
      WHERE v.owner_id = ${p.add(owner)} ${inPrefix ? `AND ${inPrefix}` : ""}
        AND cardinality(v.embedding) = cardinality(${q})
    ) AS s
    GROUP BY namespace, key
  ) AS ranked`;
}
