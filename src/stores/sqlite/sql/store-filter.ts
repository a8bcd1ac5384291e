/**
 * SQL function `tg_store_filter(value_json, filter_json)`: the `filter` of a store search as LangGraph's
 * stores read it. Each key of the filter names a top-level key of the item's value and is either a
 * value, which must be there and JSON-equal (deep, key-order independent), or an object of operators
 * only: `$eq`, `$ne` (JSON equality), `$gt`, `$gte`, `$lt`, `$lte` (numbers with numbers, strings with
 * strings; anything else does not match), `$in`, `$nin` (a list of values). A key the value lacks
 * matches only `$ne` and `$nin`. An object with any other key is a value to equal, as in LangGraph.
 * The filter's parsed form is kept for the rows of one statement.
 */
import { canonicalJson } from "../../access.ts";
import type { SqliteDatabase } from "../database.ts";

const OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin"]);

type Test = (value: unknown, present: boolean) => boolean;

function ordered(op: string, want: unknown): Test {
  return (value) => {
    const comparable =
      (typeof value === "number" && typeof want === "number") ||
      (typeof value === "string" && typeof want === "string");
    if (!comparable) return false;
    const [a, b] = [value as number | string, want as number | string];
    return op === "$gt" ? a > b : op === "$gte" ? a >= b : op === "$lt" ? a < b : a <= b;
  };
}

function operatorTest(op: string, want: unknown): Test {
  switch (op) {
    case "$eq": {
      const text = canonicalJson(want);
      return (value, present) => present && canonicalJson(value) === text;
    }
    case "$ne": {
      const text = canonicalJson(want);
      return (value, present) => !present || canonicalJson(value) !== text;
    }
    case "$in":
    case "$nin": {
      const texts = new Set(Array.isArray(want) ? want.map(canonicalJson) : []);
      const isIn = (value: unknown, present: boolean) => present && texts.has(canonicalJson(value));
      return op === "$in" ? isIn : (value, present) => !isIn(value, present);
    }
    default:
      return ordered(op, want);
  }
}

function testsOf(filter: Record<string, unknown>): [string, Test[]][] {
  return Object.entries(filter).map(([key, want]) => {
    const isOperators =
      typeof want === "object" &&
      want !== null &&
      !Array.isArray(want) &&
      Object.keys(want).length > 0 &&
      Object.keys(want).every((k) => OPERATORS.has(k));
    if (isOperators) return [key, Object.entries(want).map(([op, v]) => operatorTest(op, v))];
    const text = canonicalJson(want);
    return [key, [(value, present) => present && canonicalJson(value) === text]];
  });
}

export function registerStoreFilter(db: SqliteDatabase): void {
  let lastFilterText: string | null = null;
  let lastTests: [string, Test[]][] = [];
  db.function("tg_store_filter", { deterministic: true }, (jsonText: unknown, filterText: unknown) => {
    if (typeof filterText !== "string") return 1;
    if (filterText !== lastFilterText) {
      lastTests = testsOf(JSON.parse(filterText) as Record<string, unknown>);
      lastFilterText = filterText;
    }
    if (lastTests.length === 0) return 1;
    if (typeof jsonText !== "string") return 0;
    const item = JSON.parse(jsonText) as Record<string, unknown> | null;
    if (!item || typeof item !== "object") return 0;
    for (const [key, tests] of lastTests) {
      const present = Object.prototype.hasOwnProperty.call(item, key);
      for (const test of tests) if (!test(present ? item[key] : undefined, present)) return 0;
    }
    return 1;
  });
}
