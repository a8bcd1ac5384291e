/**
 * What a store search costs with semantic search (exact cosine over the owner's vectors within the
 * prefix, sqlite-vec's `vec_distance_cosine`) beside the plain search of the same items in the same
 * run: ITEMS items of one user at DIMS dimensions, one vector each, in one namespace, on a fresh file;
 * the median of QUERIES searches (limit 10) of each kind, and the put rate with vectors.
 *
 *   npx tsx scripts/bench/experiments/store-search.ts        # ITEMS (20000), DIMS (1536), QUERIES (30)
 *
 * 2026-12-03, 2 cores, 20,000 items: 1,536 dims, by vector 173 ms, plain 5.0 ms, puts 4,400/s; 256 dims, by
 * vector 99 ms, plain 6.9 ms. sqlite-vec's distance alone is ~4 µs a vector at 1,536 dims (82 ms for
 * 20,000 in a bare table); the rest is the join to the items and the grouping by item.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openSqliteStores } from "../../../src/stores/sqlite/index.ts";

const ITEMS = Number(process.env.ITEMS ?? 20_000);
const DIMS = Number(process.env.DIMS ?? 1536);
const QUERIES = Number(process.env.QUERIES ?? 30);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-search-"));
const stores = await openSqliteStores({ path: path.join(dir, "threadgate.db") });
const random = () => Array.from({ length: DIMS }, () => Math.random() - 0.5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  await stores.storeItems.enableVectorSearch();
  let t0 = performance.now();
  for (let i = 0; i < ITEMS; i++)
    await stores.storeItems.put("user", {
      namespace: ["docs"],
      key: `k${i}`,
      value: { i, text: `item ${i}` },
      vectors: [{ field: "text", embedding: random() }],
    });
  const putMs = performance.now() - t0;
  const query = { namespace_prefix: ["docs"], limit: 10, offset: 0, refresh_ttl: false };
  const time = async (fn: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    return median(times);
  };
  const plain = await time(() => stores.storeItems.search("user", query));
  const semantic = await time(() => stores.storeItems.search("user", { ...query, vector: random() }));
  console.log(`${ITEMS} items × ${DIMS} dims, one user, one namespace (median of ${QUERIES}, limit 10)`);
  console.log(`  put with a vector:   ${((ITEMS / putMs) * 1000).toFixed(0)} items/s`);
  console.log(`  plain search:        ${plain.toFixed(2)} ms   (the baseline, same items)`);
  console.log(`  search by vector:    ${semantic.toFixed(2)} ms   (${(semantic / plain).toFixed(0)}× the baseline)`);
  console.log(`  per 1,000 vectors:   ${((semantic / ITEMS) * 1000).toFixed(2)} ms`);
} finally {
  await stores.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
