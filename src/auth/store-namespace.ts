/**
 * The store operations as a custom `Auth` handler sees them: `value.namespace` is the namespace the
 * call acts on (an item's, a search's prefix, a namespace listing's prefix), as LangGraph servers hand
 * it, and a handler that rewrites it (`value.namespace = [user.identity, ...value.namespace]`, the
 * pattern LangGraph documents) changes what the call acts on. The rewritten namespace is checked as the
 * client's would be: a bad label is a 422.
 */
import { checkQueryLabels, namespaceFromQuery } from "../runtime/store/namespaces.ts";

/** Where each store operation's namespace is in the request. */
const NAMESPACE_OF: Record<string, { in: "body" | "query"; field: string }> = {
  "store:put": { in: "body", field: "namespace" },
  "store:delete": { in: "body", field: "namespace" },
  "store:get": { in: "query", field: "namespace" },
  "store:search": { in: "body", field: "namespace_prefix" },
  "store:list_namespaces": { in: "body", field: "prefix" },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The namespace of a store call, as labels (the SDK's `a.b` query form split), or undefined for other calls. */
export function storeNamespace(permission: string, parameters: Record<string, unknown>): string[] | undefined {
  const at = NAMESPACE_OF[permission];
  if (!at) return undefined;
  if (at.in === "query")
    return namespaceFromQuery((parameters.query as Record<string, string[] | undefined>)[at.field]);
  const body = parameters.requestBody;
  const labels = isObject(body) ? body[at.field] : undefined;
  return Array.isArray(labels) ? [...(labels as string[])] : [];
}

/** A namespace the handler set in place of the request's (labels only; anything else is left alone). */
export function rewriteStoreNamespace(
  permission: string,
  parameters: Record<string, unknown>,
  before: readonly string[],
  after: unknown,
): void {
  const at = NAMESPACE_OF[permission];
  if (!at || !Array.isArray(after) || !after.every((label) => typeof label === "string")) return;
  if (after.length === before.length && after.every((label, i) => label === before[i])) return;
  if (at.in === "query") {
    // One value per label: a label holding `.` would otherwise be read as two.
    checkQueryLabels(after);
    (parameters.query as Record<string, unknown>)[at.field] = [...after];
    return;
  }
  if (!isObject(parameters.requestBody)) parameters.requestBody = {};
  (parameters.requestBody as Record<string, unknown>)[at.field] = [...after];
}
