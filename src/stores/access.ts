/**
 * What one caller may see, as every store applies it inside its own queries (so a page, a count and a
 * total never include another user's rows). Built by the auth layer per request; empty means everything.
 */
/** A JSON object (as stores/types.ts defines it; not imported, which would make a loop). */
type Json = Record<string, unknown>;

/**
 * A custom `Auth` handler's filters (LangGraph's `AuthFilters`): each key of a resource's metadata must
 * equal the string (or `$eq` value), or, with `$contains`, be an array holding the value.
 */
export type AuthFilters = Record<string, unknown>;

export interface AccessScope {
  /** Only what this user owns (threads by their owner; runs, events and journal by their thread's). */
  owner_id?: string;
  /** Only what has metadata these filters accept (a thread's for its runs). */
  filters?: AuthFilters;
}

/** JSON value with object keys sorted recursively, so equal values serialise identically. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

type Condition = { key: string; op: "eq" | "contains"; want: string };

function isOperatorObject(value: unknown): value is { $eq?: unknown; $contains?: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The filters as conditions; throws on an operator LangGraph does not define (a handler's bug, not the caller's). */
export function filterConditions(filters: AuthFilters): Condition[] {
  const conditions: Condition[] = [];
  for (const [key, value] of Object.entries(filters)) {
    if (!isOperatorObject(value)) {
      conditions.push({ key, op: "eq", want: canonicalJson(value) });
      continue;
    }
    for (const [op, operand] of Object.entries(value)) {
      if (op === "$eq") conditions.push({ key, op: "eq", want: canonicalJson(operand) });
      else if (op === "$contains") conditions.push({ key, op: "contains", want: canonicalJson(operand) });
      else throw new Error(`auth filter on "${key}" uses ${op}; only a value, $eq and $contains are defined`);
    }
  }
  return conditions;
}

/** Whether metadata satisfies every condition. */
export function conditionsMatch(metadata: Json | null | undefined, conditions: readonly Condition[]): boolean {
  for (const { key, op, want } of conditions) {
    const have = metadata && Object.prototype.hasOwnProperty.call(metadata, key) ? metadata[key] : undefined;
    if (op === "eq" ? have === undefined || canonicalJson(have) !== want : !Array.isArray(have)) return false;
    if (op === "contains" && !(have as unknown[]).some((item) => canonicalJson(item) === want)) return false;
  }
  return true;
}

export function matchesAuthFilters(metadata: Json | null | undefined, filters: AuthFilters | undefined): boolean {
  return !filters || conditionsMatch(metadata, filterConditions(filters));
}

/**
 * The metadata a create writes so that the creator's own filters accept what it made: each `$eq` or
 * plain value set, each `$contains` value added to its array. Written over what the client sent.
 */
export function stampFilters(metadata: Json, filters: AuthFilters | undefined): Json {
  if (!filters) return metadata;
  const stamped: Json = { ...metadata };
  for (const [key, value] of Object.entries(filters)) {
    if (!isOperatorObject(value)) stamped[key] = value;
    else if ("$eq" in value) stamped[key] = value.$eq;
    else if ("$contains" in value) {
      const have = Array.isArray(stamped[key]) ? (stamped[key] as unknown[]) : [];
      const want = canonicalJson(value.$contains);
      stamped[key] = have.some((item) => canonicalJson(item) === want) ? have : [...have, value.$contains];
    }
  }
  return stamped;
}

/** True when the scope restricts nothing. */
export function isOpenScope(scope: AccessScope | undefined): boolean {
  return !scope || (scope.owner_id === undefined && (!scope.filters || Object.keys(scope.filters).length === 0));
}
