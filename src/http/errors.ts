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

export class UnprocessableError extends ApiError {
  constructor(detail: string | ValidationIssue[]) {
    super(422, detail);
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
