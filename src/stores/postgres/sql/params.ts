/**
 * Positional parameters (`$1`, `$2`, ...) for SQL built piece by piece: each `add` returns the
 * placeholder of its value, so conditions can be assembled in any order without counting.
 */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A JSON value as `$n::jsonb`. */
  json(value: unknown): string {
    return `${this.add(JSON.stringify(value))}::jsonb`;
  }
}
