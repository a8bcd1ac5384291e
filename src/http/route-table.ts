/**
 * The route table: the spec's operations (as openapi-backend's router loaded
 * them) compiled once at boot into exact paths and path-template RegExps with
 * one capture group per parameter. A request is matched once and its path
 * parameters come out of the same match. Rules as openapi-backend's router:
 * an exact path wins; otherwise the most specific template whose method
 * matches; a path with no operation is 404, a path without that method 405.
 */
import type { Operation } from "openapi-backend";

export type RouteMatch =
  | { kind: "operation"; operation: Operation; params: Record<string, string> }
  | { kind: "notFound" }
  | { kind: "methodNotAllowed"; allow: string[] };

/** One path template with the operations (by lower-case method) declared on it. */
interface Template {
  byMethod: Map<string, Operation>;
  regex: RegExp;
  names: string[];
  /** Length of the literal part: the longer, the more specific. */
  specificity: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileTemplate(path: string, operations: Operation[]): Template {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const literal = path.split(/\{[^}]+\}/);
  return {
    byMethod: new Map(operations.map((op) => [op.method, op])),
    regex: new RegExp(`^${literal.map(escapeRegExp).join("([^/]+)")}$`),
    names,
    specificity: literal.join("").length,
  };
}

/** A parameter matches one whole segment, so a template can only match paths with as many slashes. */
function slashes(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}

function decode(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes stay as sent; validation names the parameter
  }
}

export class RouteTable {
  /** Exact paths: operations by lower-case method. */
  private readonly exact = new Map<string, Map<string, Operation>>();
  /** Templates by their number of slashes, most specific first. */
  private readonly templates = new Map<number, Template[]>();
  private readonly root: string;

  constructor(
    readonly operations: readonly Operation[],
    apiRoot: string,
  ) {
    const templated = new Map<string, Operation[]>();
    for (const op of operations) {
      if (op.path.includes("{")) templated.set(op.path, [...(templated.get(op.path) ?? []), op]);
      else this.exact.set(op.path, (this.exact.get(op.path) ?? new Map()).set(op.method, op));
    }
    for (const [path, ops] of templated) {
      const bucket = this.templates.get(slashes(path)) ?? [];
      bucket.push(compileTemplate(path, ops));
      this.templates.set(slashes(path), bucket);
    }
    for (const bucket of this.templates.values()) bucket.sort((a, b) => b.specificity - a.specificity);
    this.root = apiRoot.replace(/\/+$/, "");
  }

  /** The request path relative to the API root, or null when it lies outside it. */
  private relative(path: string): string | null {
    let rel = path;
    if (this.root !== "") {
      if (path === this.root) rel = "/";
      else if (path.startsWith(`${this.root}/`)) rel = path.slice(this.root.length);
      else return null;
    }
    while (rel.length > 1 && rel.endsWith("/")) rel = rel.slice(0, -1);
    return rel;
  }

  match(method: string, path: string): RouteMatch {
    const rel = this.relative(path);
    if (rel === null) return { kind: "notFound" };
    const verb = method.toLowerCase();
    const exact = this.exact.get(rel);
    const exactOp = exact?.get(verb);
    if (exactOp) return { kind: "operation", operation: exactOp, params: {} };
    let allow: Set<string> | undefined;
    for (const t of this.templates.get(slashes(rel)) ?? []) {
      const m = t.regex.exec(rel);
      if (!m) continue;
      const operation = t.byMethod.get(verb);
      if (operation) {
        const params: Record<string, string> = {};
        t.names.forEach((name, i) => (params[name] = decode(m[i + 1])));
        return { kind: "operation", operation, params };
      }
      allow ??= new Set();
      for (const other of t.byMethod.keys()) allow.add(other);
    }
    if (exact) {
      allow ??= new Set();
      for (const other of exact.keys()) allow.add(other);
    }
    if (!allow || allow.size === 0) return { kind: "notFound" };
    return { kind: "methodNotAllowed", allow: [...allow].map((m) => m.toUpperCase()) };
  }
}
