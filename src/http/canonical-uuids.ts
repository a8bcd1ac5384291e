/**
 * One UUID, one id. The uuid format (ajv-formats) accepts any case and a `urn:uuid:` prefix, so
 * `ABC…`, `abc…` and `urn:uuid:abc…` all pass validation; stored and compared as sent they would be
 * three threads. Every field the spec types `format: uuid` (path, query, body, items of id lists) is
 * rewritten to the lowercase canonical form while it is validated, so handlers only ever see that.
 *
 * It is driven by the spec: `markUuidFields` puts a keyword beside every `format: uuid`, and the
 * keyword (an Ajv modifying keyword) rewrites the value where it stands in the request.
 */
import type { Ajv } from "ajv";

export const CANONICAL_UUID_KEYWORD = "x-canonical-uuid";

const UUID = /^(?:urn:uuid:)?([0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12})$/i;

/** `URN:UUID:ABC…` / `ABC…` → `abc…`; anything that is not a UUID is returned as it is. */
export function canonicalUuid(value: string): string {
  const m = UUID.exec(value);
  return m ? m[1].toLowerCase() : value;
}

/** Adds the keyword beside every `format: uuid` schema of an OpenAPI document (in place); returns how many. */
export function markUuidFields(definition: unknown): number {
  let marked = 0;
  const stack: unknown[] = [definition];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    const record = node as Record<string, unknown>;
    if (record.format === "uuid") {
      record[CANONICAL_UUID_KEYWORD] = true;
      marked++;
    }
    for (const value of Array.isArray(node) ? node : Object.values(record)) stack.push(value);
  }
  return marked;
}

/** Registers the keyword: a string that is a UUID in another form is replaced by its canonical form. */
export function addCanonicalUuidKeyword(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: CANONICAL_UUID_KEYWORD,
    schemaType: "boolean",
    modifying: true,
    errors: false,
    validate: (
      _schema: boolean,
      data: unknown,
      _parent: unknown,
      cxt?: { parentData: any; parentDataProperty: string | number },
    ) => {
      if (typeof data === "string" && cxt?.parentData !== undefined) {
        const canonical = canonicalUuid(data);
        if (canonical !== data) cxt.parentData[cxt.parentDataProperty] = canonical;
      }
      return true;
    },
  });
}
