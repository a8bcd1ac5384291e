/**
 * SQL function `tg_json_matches(json_text, filter_json)`, shared by the stores that filter a JSON
 * column the way LangGraph filters metadata (threads, assistants; store items have operators too:
 * store-filter.ts): 1 when every key of the filter object is present in the
 * column's object with a JSON-equal value (deep, key-order independent), else 0. No filter (NULL or
 * `{}`) matches everything. The filter's parsed form is kept for the rows of one statement.
 */
import { canonicalJson } from "../../access.ts";
import type { SqliteDatabase } from "../database.ts";

export function registerJsonMatcher(db: SqliteDatabase): void {
  let lastFilterText: string | null = null;
  let lastFilter: [string, string][] = [];
  db.function("tg_json_matches", { deterministic: true }, (jsonText: unknown, filterText: unknown) => {
    if (typeof filterText !== "string") return 1;
    if (filterText !== lastFilterText) {
      const parsed = JSON.parse(filterText) as Record<string, unknown>;
      lastFilter = Object.entries(parsed).map(([k, v]) => [k, canonicalJson(v)]);
      lastFilterText = filterText;
    }
    if (lastFilter.length === 0) return 1;
    if (typeof jsonText !== "string") return 0;
    const value = JSON.parse(jsonText) as Record<string, unknown> | null;
    if (!value || typeof value !== "object") return 0;
    for (const [key, want] of lastFilter) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) return 0;
      if (canonicalJson(value[key]) !== want) return 0;
    }
    return 1;
  });
}
