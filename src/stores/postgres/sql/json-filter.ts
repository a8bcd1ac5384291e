/**
 * LangGraph's metadata filter on a JSONB column, as SQL: every key of the filter is present in the
 * column's object with a JSON-equal value (deep, key-order independent: JSONB equality). Containment
 * of the whole filter is tested first, which a GIN index on the column answers; containment alone
 * would let `{obj: {x: 1}}` match `{obj: {x: 1, y: 2}}`, so each key's equality is tested too.
 */
import type { Json } from "../../types.ts";
import type { Params } from "./params.ts";

/** The condition, or "" when the filter is empty (no filter). A NULL column matches no non-empty filter. */
export function jsonMatchesSql(column: string, filter: Json | undefined, p: Params): string {
  const entries = Object.entries(filter ?? {});
  if (entries.length === 0) return "";
  const parts = [`${column} @> ${p.json(filter)}`];
  for (const [key, value] of entries) parts.push(`${column} -> ${p.add(key)} = ${p.json(value)}`);
  return `(${parts.join(" AND ")})`;
}
