/**
 * The metadata filter of search and history calls, applied in memory: every
 * given key must hold an equal JSON value (an `undefined` filter value is ignored).
 */
import type { Json } from "../../stores/types.ts";

export function metadataMatches(metadata: Json | null | undefined, filter: Json | null | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(
    ([k, v]) => v === undefined || JSON.stringify(metadata?.[k]) === JSON.stringify(v),
  );
}
