/**
 * Ajv errors → the 422's `[{loc, msg, type}]`: one issue per bad field and keyword, without the
 * noise of anyOf branches, at most MAX_LISTED_ISSUES of them plus a count of the rest. A request can
 * bring hundreds of thousands of errors (one per bad array item), so only the first
 * ISSUES_READ_FROM errors are turned into issues; the rest are only counted.
 */
import type { ErrorObject } from "ajv";
import { MAX_LISTED_ISSUES, capIssues, type ValidationIssue } from "./errors.ts";

const LOCATION_OF: Record<string, string> = { path: "path", query: "query", header: "header", requestBody: "body" };

/** Errors read into issues (the listed ones come from these); 10 per listed issue leaves room for noise. */
const ISSUES_READ_FROM = MAX_LISTED_ISSUES * 10;

/** `/requestBody/ids/0` → `["body", "ids", 0]`. */
function locOf(instancePath: string): (string | number)[] {
  const segments = instancePath
    .split("/")
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, "/").replace(/~0/g, "~")));
  const [where = "requestBody", ...field] = segments;
  return [LOCATION_OF[String(where)] ?? String(where), ...field];
}

function toIssue(err: ErrorObject): ValidationIssue {
  const loc = locOf(err.instancePath);
  if (err.keyword === "required") loc.push((err.params as { missingProperty: string }).missingProperty);
  if (err.keyword === "additionalProperties")
    loc.push((err.params as { additionalProperty: string }).additionalProperty);
  let msg = err.message ?? "is invalid";
  if (err.keyword === "enum") msg += `: ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (err.keyword === "parse") msg = `body is not valid JSON: ${msg}`;
  return { loc, msg, type: err.keyword };
}

/** A location as a map key; segments are joined by a character no JSON pointer segment Ajv reports holds. */
function locKey(loc: readonly (string | number)[]): string {
  return loc.join("\u0000");
}

function isBranchNoise(issue: ValidationIssue): boolean {
  return issue.type === "anyOf" || issue.type === "oneOf" || (issue.type === "type" && issue.msg === "must be null");
}

function isBranchNoiseError(err: ErrorObject): boolean {
  return (
    err.keyword === "anyOf" || err.keyword === "oneOf" || (err.keyword === "type" && err.message === "must be null")
  );
}

/**
 * A nullable `$ref` is `anyOf: [schema, null]`; when the value fails the schema,
 * Ajv also reports "must be null" and "must match a schema in anyOf". Keep the
 * specific errors and drop that noise whenever a more specific one exists at the
 * same field or below it (one set of the specific issues' locations and their
 * prefixes, so thousands of issues are not compared pairwise).
 */
function dropBranchNoise(issues: ValidationIssue[]): ValidationIssue[] {
  const specificAtOrBelow = new Set<string>();
  for (const issue of issues) {
    if (isBranchNoise(issue)) continue;
    for (let n = 0; n <= issue.loc.length; n++) specificAtOrBelow.add(locKey(issue.loc.slice(0, n)));
  }
  return issues.filter((issue) => !isBranchNoise(issue) || !specificAtOrBelow.has(locKey(issue.loc)));
}

/** The longest common prefix of two locations. */
function sharedLoc(a: readonly (string | number)[], b: readonly (string | number)[]): (string | number)[] {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return a.slice(0, n);
}

export function toValidationIssues(errors: ErrorObject[]): ValidationIssue[] {
  const read = errors.length > ISSUES_READ_FROM ? errors.slice(0, ISSUES_READ_FROM) : errors;
  const issues = new Map<string, ValidationIssue>();
  for (const err of read) {
    const issue = toIssue(err);
    const key = `${locKey(issue.loc)}|${issue.type}`;
    // oneOf/anyOf produce one error per branch; keep the first per field and keyword.
    if (!issues.has(key)) issues.set(key, issue);
  }
  const listed = dropBranchNoise([...issues.values()]);
  if (read === errors) return capIssues(listed);

  // Past the errors read: count what would be issues, and where they lie (the common prefix of
  // their JSON pointers, cut back to a whole segment).
  const unread = errors.slice(read.length).filter((err) => !isBranchNoiseError(err));
  let prefix = unread[0]?.instancePath ?? "";
  for (const { instancePath: path } of unread) {
    if (path.startsWith(prefix)) continue;
    let n = 0;
    while (n < prefix.length && prefix.charCodeAt(n) === path.charCodeAt(n)) n++;
    prefix = prefix.slice(0, n);
  }
  const whole = unread.every((e) => e.instancePath.length === prefix.length || e.instancePath[prefix.length] === "/");
  if (!whole) prefix = prefix.slice(0, prefix.lastIndexOf("/"));
  const rest = listed.slice(MAX_LISTED_ISSUES);
  if (rest.length + unread.length === 0) return listed;
  const locs = [...(unread.length > 0 ? [locOf(prefix)] : []), ...rest.map((issue) => issue.loc)];
  const loc = locs.reduce(sharedLoc);
  return [
    ...listed.slice(0, MAX_LISTED_ISSUES),
    { loc, msg: `${rest.length + unread.length} more issues not listed`, type: "too_many_errors" },
  ];
}
