/**
 * The `filter` of a store search as SQL on the item's JSONB value, as LangGraph's stores read it (the
 * semantics of SQLite's sql/store-filter.ts). Each key of the filter names a top-level key of the
 * value and is either a value, which must be there and JSON-equal (JSONB equality: deep, key-order
 * independent), or an object of operators only: `$eq`, `$ne` (JSON equality), `$gt`, `$gte`, `$lt`,
 * `$lte` (numbers with numbers, strings with strings in byte order; anything else does not match),
 * `$in`, `$nin` (a list of values). A key the value lacks matches only `$ne` and `$nin`. An object
 * with any other key is a value to equal. Every condition is true or false, never NULL (some are
 * negated).
 */
import type { Params } from "../sql/params.ts";

const OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin"]);
const ORDER: Record<string, string> = { $gt: ">", $gte: ">=", $lt: "<", $lte: "<=" };

function isOperators(want: unknown): want is Record<string, unknown> {
  return (
    typeof want === "object" &&
    want !== null &&
    !Array.isArray(want) &&
    Object.keys(want).length > 0 &&
    Object.keys(want).every((k) => OPERATORS.has(k))
  );
}

/**
 * `have()` (the value's key, SQL NULL when absent) passes `op` with `want`. Lazy: a parameter that
 * no condition reads would have no type, which Postgres refuses.
 */
function operatorSql(have: () => string, op: string, want: unknown, p: Params): string {
  switch (op) {
    case "$eq":
      return `COALESCE(${have()} = ${p.json(want)}, false)`;
    case "$ne":
      return `NOT COALESCE(${have()} = ${p.json(want)}, false)`;
    case "$in":
    case "$nin": {
      const list = p.json(Array.isArray(want) ? want : []);
      const isIn = `EXISTS (SELECT 1 FROM jsonb_array_elements(${list}) AS w (item) WHERE w.item = ${have()})`;
      return op === "$in" ? isIn : `NOT ${isIn}`;
    }
    default: {
      const cmp = ORDER[op];
      if (typeof want === "number" && Number.isFinite(want))
        return `COALESCE(jsonb_typeof(${have()}) = 'number' AND (${have()})::numeric ${cmp} ${p.add(String(want))}::numeric, false)`;
      if (typeof want === "string")
        return `COALESCE(jsonb_typeof(${have()}) = 'string' AND (${have()} #>> '{}') COLLATE "C" ${cmp} ${p.add(want)}, false)`;
      return "false";
    }
  }
}

/** The filter's conditions on the JSONB `column`, each to AND in (none for an empty filter). */
export function storeFilterSql(column: string, filter: Record<string, unknown> | undefined, p: Params): string[] {
  const parts: string[] = [];
  for (const [key, want] of Object.entries(filter ?? {})) {
    let sql: string | undefined;
    const have = () => (sql ??= `(${column} -> ${p.add(key)}::text)`);
    if (isOperators(want)) for (const [op, v] of Object.entries(want)) parts.push(operatorSql(have, op, v, p));
    else parts.push(`COALESCE(${have()} = ${p.json(want)}, false)`);
  }
  return parts;
}
