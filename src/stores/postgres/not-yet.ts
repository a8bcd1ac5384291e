/**
 * A store of the Postgres backend that is not written yet: every call throws, naming it. The backend
 * is not selectable (DATABASE_URL) until none is left; its conformance run covers the stores that are.
 */
/** The stores `notYet` stands in for: the server refuses DATABASE_URL while there are any. */
export const NOT_WRITTEN = new Set<string>();

export function notYet<T extends object>(store: string): T {
  NOT_WRITTEN.add(store);
  return new Proxy({} as T, {
    get(_target, key) {
      if (key === "then") return undefined; // not a thenable
      return () => {
        throw new Error(`the Postgres ${store} store is not written yet (${String(key)})`);
      };
    },
  });
}
