/**
 * Typed errors thrown by handlers and the runtime. One middleware turns them
 * into the single error envelope `{"detail": ...}`; nothing else builds error bodies.
 */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === "string" ? detail : detail.map((d) => `${d.loc.join(".")}: ${d.msg}`).join("; "));
  }
}

export class NotFoundError extends ApiError {
  constructor(detail: string) {
    super(404, detail);
  }
}

export class ConflictError extends ApiError {
  constructor(detail: string) {
    super(409, detail);
  }
}

/** Issues one 422 lists; past it the answer would grow with the request (100,000 bad items: 6.6 MB). */
export const MAX_LISTED_ISSUES = 100;

/**
 * The first `max` issues and, for the rest, one more entry counting them, located at what their
 * locations share (`["body", "ids"]` for many bad ids): the shape every client already parses.
 */
export function capIssues(issues: ValidationIssue[], max = MAX_LISTED_ISSUES): ValidationIssue[] {
  const counted = issues.at(-1)?.type === "too_many_errors" ? 1 : 0; // capped already
  if (issues.length <= max + counted) return issues;
  const rest = issues.slice(max);
  let shared = rest[0].loc;
  for (const issue of rest) {
    let n = 0;
    while (n < shared.length && n < issue.loc.length && shared[n] === issue.loc[n]) n++;
    if (n < shared.length) shared = shared.slice(0, n);
  }
  return [
    ...issues.slice(0, max),
    { loc: shared, msg: `${rest.length} more issues not listed`, type: "too_many_errors" },
  ];
}

export class UnprocessableError extends ApiError {
  constructor(detail: string | ValidationIssue[]) {
    super(422, typeof detail === "string" ? detail : capIssues(detail));
  }
}

/** A single-field 422, e.g. `invalid("body", "multitask_strategy", "enqueue is not supported yet")`. */
export function invalid(
  where: "body" | "query" | "path" | "header",
  field: string,
  msg: string,
  type = "value_error",
): UnprocessableError {
  return new UnprocessableError([{ loc: [where, ...field.split(".")], msg, type }]);
}
