/**
 * An AccessScope as SQL over the threads table (runs, stream events and the journal are scoped by their
 * thread): a condition to AND into a query's WHERE, its parameters, and a key for caching statements
 * by shape.
 */
import { conditionsMatch, filterConditions, isOpenScope, type AccessScope } from "../../access.ts";
import type { Json } from "../../types.ts";
import type { SqliteDatabase } from "../database.ts";

export interface ScopeSql {
  /** "" when the scope restricts nothing, else conditions joined with AND (no leading AND). */
  where: string;
  params: { scope_owner?: string; scope_filters?: string };
  /** Which conditions `where` holds: statements prepared for one shape serve every scope of it. */
  shape: "" | "o" | "f" | "of";
}

/** `threads` names the table (or alias) whose owner_id and metadata columns the scope reads. */
export function scopeSql(scope: AccessScope | undefined, threads = "threads"): ScopeSql {
  if (isOpenScope(scope)) return { where: "", params: {}, shape: "" };
  const parts: string[] = [];
  const params: ScopeSql["params"] = {};
  let shape = "";
  if (scope!.owner_id !== undefined) {
    parts.push(`${threads}.owner_id = @scope_owner`);
    params.scope_owner = scope!.owner_id;
    shape += "o";
  }
  if (scope!.filters && Object.keys(scope!.filters).length > 0) {
    filterConditions(scope!.filters); // an unknown operator throws here, before any SQL
    parts.push(`tg_auth_matches(${threads}.metadata, @scope_filters)`);
    params.scope_filters = JSON.stringify(scope!.filters);
    shape += "f";
  }
  return { where: parts.join(" AND "), params, shape: shape as ScopeSql["shape"] };
}

/** SQL function `tg_auth_matches(metadata_json, filters_json)`: 1 when the metadata passes the filters. */
export function registerAuthMatcher(db: SqliteDatabase): void {
  let lastText: string | null = null;
  let last: ReturnType<typeof filterConditions> = [];
  db.function("tg_auth_matches", { deterministic: true }, (metadataText: unknown, filtersText: unknown) => {
    if (typeof filtersText !== "string") return 1;
    if (filtersText !== lastText) {
      last = filterConditions(JSON.parse(filtersText) as Record<string, unknown>);
      lastText = filtersText;
    }
    const metadata = typeof metadataText === "string" ? (JSON.parse(metadataText) as Json) : null;
    return conditionsMatch(metadata, last) ? 1 : 0;
  });
}
