/**
 * Precompiled routing for openapi-backend. Its router re-flattens the whole
 * spec and compiles a RegExp per path on every request (several times per
 * request), which dominated a CPU profile of `GET /ok`. The definition never
 * changes after boot, so the operations and their matchers are built once here
 * and the router's two lookups are answered from them, with the same rules:
 * an exact path wins; otherwise the most specific template whose method
 * matches; no path → 404, path without that method → 405.
 */
import type { OpenAPIRouter, Operation, Request } from "openapi-backend";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function templateToRegExp(path: string): RegExp {
  return new RegExp(`^${path.split(/\{[^}]+\}/).map(escapeRegExp).join("[^/]+")}$`);
}

export function indexRoutes(router: OpenAPIRouter): void {
  const operations = router.getOperations();
  const exact = new Map<string, Operation[]>();
  for (const op of operations) exact.set(op.path, [...(exact.get(op.path) ?? []), op]);
  const templates = operations
    .map((op) => ({ op, regex: templateToRegExp(op.path), specificity: op.path.replace(/\{.*?\}/g, "").length }))
    .sort((a, b) => b.specificity - a.specificity);
  const root = router.apiRoot.replace(/\/$/, "");
  const underRoot = (path: string) => root === "" || path === root || path.startsWith(`${root}/`);

  router.getOperations = () => operations;
  router.matchOperation = ((req: Request, strict?: boolean) => {
    const path = underRoot(req.path) ? router.normalizePath(req.path) : null;
    if (path === null) {
      if (strict) throw new Error("404-notFound: no route matches request");
      return undefined;
    }
    const method = req.method.toLowerCase();
    const exactMatch = exact.get(path)?.find((op) => op.method === method);
    if (exactMatch) return exactMatch;
    const candidates = templates.filter((t) => t.regex.test(path));
    if (candidates.length === 0) {
      if (strict) throw new Error("404-notFound: no route matches request");
      return undefined;
    }
    const match = candidates.find((t) => t.op.method === method)?.op;
    if (!match && strict) throw new Error("405-methodNotAllowed: this method is not registered for the route");
    return match;
  }) as OpenAPIRouter["matchOperation"];
}
