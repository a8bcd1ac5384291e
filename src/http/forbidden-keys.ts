/**
 * Keys no request body may carry: `__proto__`, and `constructor` holding a `prototype`. JSON.parse
 * makes them plain own properties, but any `Object.assign`, merge or `for…in` copy down the line (ours,
 * LangGraph's, a graph's) turns them into an object's prototype: what a body says must stay data.
 * The rule is the one fastify's secure-json-parse applies; this finds the field, so the 422 names it.
 */

/** Text that cannot hold such a key (after JSON unescaping) needs no walk: most bodies. */
function mayHoldForbiddenKey(text: string): boolean {
  return text.includes("__proto__") || text.includes("constructor") || text.includes("\\u");
}

/** The path to the first forbidden key in `value` (parsed from `text`), or null. */
export function forbiddenKeyAt(text: string, value: unknown): (string | number)[] | null {
  if (!mayHoldForbiddenKey(text)) return null;
  // Depth-first with an explicit stack; the depth was bounded before parsing.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path } = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      if (key === "__proto__") return [...path, key];
      if (key === "constructor" && child !== null && typeof child === "object" && Object.hasOwn(child, "prototype"))
        return [...path, key, "prototype"];
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}
