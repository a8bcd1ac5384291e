/**
 * Times as the stores' records carry them: TIMESTAMPTZ columns read back as ISO-8601 text in UTC with
 * milliseconds and `Z` (what `Date.prototype.toISOString` writes, and what the stores write in).
 */

/** `column` as ISO-8601 text (an expression; NULL stays NULL). */
export function isoText(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** `column` as ISO-8601 text, named `as` (the column's own name by default). */
export function isoColumn(column: string, as = column.slice(column.lastIndexOf(".") + 1)): string {
  return `${isoText(column)} AS ${as}`;
}
