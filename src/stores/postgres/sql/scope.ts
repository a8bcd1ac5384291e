/**
 * An AccessScope as SQL over the threads table (runs and the journal are scoped by their thread): a
 * condition to AND into a query's WHERE. The auth filters' semantics are access.ts's
 * (`filterConditions`): a value or `$eq` must be JSON-equal to the metadata key's value, `$contains`
 * needs the key to be an array holding an element JSON-equal to the value.
 */
import { filterConditions, isOpenScope, type AccessScope } from "../../access.ts";
import type { Params } from "./params.ts";

/** "" when the scope restricts nothing; `threads` names the table (or alias) whose columns it reads. */
export function scopeSql(scope: AccessScope | undefined, p: Params, threads = "threads"): string {
  if (isOpenScope(scope)) return "";
  const parts: string[] = [];
  if (scope!.owner_id !== undefined) parts.push(`${threads}.owner_id = ${p.add(scope!.owner_id)}`);
  // An operator LangGraph does not define throws here, before any SQL.
  for (const { key, op, want } of filterConditions(scope!.filters ?? {})) {
    const value = `${threads}.metadata -> ${p.add(key)}`;
    const wanted = `${p.add(want)}::jsonb`;
    if (op === "eq") parts.push(`${value} = ${wanted}`);
    else
      parts.push(
        `CASE WHEN jsonb_typeof(${value}) = 'array'
           THEN EXISTS (SELECT 1 FROM jsonb_array_elements(${value}) AS e (item) WHERE e.item = ${wanted})
           ELSE false END`,
      );
  }
  return parts.join(" AND ");
}
