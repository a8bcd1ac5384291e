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

interface Template {
  operation: Operation;
  regex: RegExp;
  names: string[];
  /** Length of the literal part: the longer, the more specific. */
  specificity: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileTemplate(operation: Operation): Template {
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const literal = operation.path.split(/\{[^}]+\}/);
  return {
    operation,
    regex: new RegExp(`^${literal.map(escapeRegExp).join("([^/]+)")}$`),
    names,
    specificity: literal.join("").length,
  };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes stay as sent; validation names the parameter
  }
}

export class RouteTable {
  private readonly exact = new Map<string, Operation[]>();
  private readonly templates: Template[];
  private readonly root: string;

  constructor(
    readonly operations: readonly Operation[],
    apiRoot: string,
  ) {
    for (const op of operations) {
      if (op.path.includes("{")) continue;
      this.exact.set(op.path, [...(this.exact.get(op.path) ?? []), op]);
    }
    this.templates = operations
      .filter((op) => op.path.includes("{"))
      .map(compileTemplate)
      .sort((a, b) => b.specificity - a.specificity);
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
    const exactOp = exact?.find((op) => op.method === verb);
    if (exactOp) return { kind: "operation", operation: exactOp, params: {} };
    const allow = new Set(exact?.map((op) => op.method));
    for (const t of this.templates) {
      const m = t.regex.exec(rel);
      if (!m) continue;
      if (t.operation.method === verb) {
        const params: Record<string, string> = {};
        t.names.forEach((name, i) => (params[name] = decode(m[i + 1])));
        return { kind: "operation", operation: t.operation, params };
      }
      allow.add(t.operation.method);
    }
    if (allow.size === 0) return { kind: "notFound" };
    return { kind: "methodNotAllowed", allow: [...allow].map((m) => m.toUpperCase()) };
  }
}
