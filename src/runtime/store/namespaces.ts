/**
 * What a namespace of the Store API may be: a path of labels, each a non-empty string without `.` (the
 * SDK joins labels with `.` in a query string, and the store keeps them `.`-separated). A bad label is a
 * 422 naming it by its place, with every bad label of the request listed; nothing is written. The spec
 * says as much of body namespaces (StoreNamespaceLabel), so there the validator answers first; a query
 * string's `a.b` is split here, and every caller of the runtime (graphs too, later) gets the same check.
 */
import { UnprocessableError, type ValidationIssue } from "../../http/errors.ts";

function labelIssues(labels: readonly string[], loc: (string | number)[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  labels.forEach((label, i) => {
    if (label === "") issues.push({ loc: [...loc, i], msg: `namespace label ${i} is empty`, type: "value_error" });
    else if (label.includes("."))
      issues.push({
        loc: [...loc, i],
        msg: `namespace label ${i} ("${label}") contains a period ('.'), which namespace labels cannot`,
        type: "value_error",
      });
  });
  return issues;
}

/**
 * The namespaces of a request body, each checked; `required` ones must have a label at least. Absent
 * ones are the empty namespace (the root, or no prefix or suffix condition).
 */
export function checkNamespaces(
  fields: Record<string, { labels: readonly string[] | null | undefined; required?: boolean }>,
): void {
  const issues: ValidationIssue[] = [];
  for (const [field, { labels, required }] of Object.entries(fields)) {
    if (required && (!labels || labels.length === 0))
      issues.push({ loc: ["body", field], msg: "the namespace must have at least one label", type: "value_error" });
    if (labels) issues.push(...labelIssues(labels, ["body", field]));
  }
  if (issues.length > 0) throw new UnprocessableError(issues);
}

/** Labels given as labels (not split on `.`), such as a namespace an auth handler set for a query: checked. */
export function checkQueryLabels(labels: readonly string[]): void {
  const issues = labelIssues(labels, ["query", "namespace"]);
  if (issues.length > 0) throw new UnprocessableError(issues);
}

/**
 * The namespace a query string gives: each `namespace` value is one or more labels joined with `.`
 * (the SDK sends one value, `users.alice`). Absent, or one empty value (the SDK's root namespace): [].
 */
export function namespaceFromQuery(values: readonly string[] | undefined): string[] {
  if (!values || (values.length === 1 && values[0] === "")) return [];
  const labels = values.flatMap((v) => v.split("."));
  const issues = labelIssues(labels, ["query", "namespace"]);
  if (issues.length > 0) throw new UnprocessableError(issues);
  return labels;
}
