/**
 * Typed errors thrown by handlers and the runtime. One middleware turns them
 * into the single error envelope `{"detail": ...}`; nothing else builds error bodies.
 */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Longest text of a message, and of one `loc` segment: messages quote what was sent (an id, a node name). */
const MAX_MESSAGE_CHARS = 1000;
const MAX_LOC_SEGMENT_CHARS = 200;

/** `text` as it is, or its head and tail around a count of what was left out. */
export function clip(text: string, max = MAX_MESSAGE_CHARS): string {
  if (text.length <= max) return text;
  const keep = Math.floor((max - 40) / 2);
  return `${text.slice(0, keep)}… (${text.length - 2 * keep} characters omitted) …${text.slice(-keep)}`;
}

function clipIssue(issue: ValidationIssue): ValidationIssue {
  return {
    ...issue,
    loc: issue.loc.map((part) => (typeof part === "string" ? clip(part, MAX_LOC_SEGMENT_CHARS) : part)),
    msg: clip(issue.msg),
  };
}

export class ApiError extends Error {
  /** What the client is told: messages and locations clipped, so an answer never grows with a long value sent. */
  readonly detail: string | ValidationIssue[];

  constructor(
    readonly status: number,
    detail: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    const clipped = typeof detail === "string" ? clip(detail) : detail.map(clipIssue);
    super(typeof clipped === "string" ? clipped : clipped.map((d) => `${d.loc.join(".")}: ${d.msg}`).join("; "));
    this.detail = clipped;
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
