/**
 * JSON for the wire. LangChain messages (and anything else with `toDict`) are
 * written as `{...data, type}`, the shape LangGraph Platform clients expect;
 * an Error as `{error, message}`; a bigint as its digits.
 *
 * `wireValue` makes those substitutions ahead of `JSON.stringify` instead of in
 * a replacer: a replacer is called for every property and keeps V8 off its fast
 * serializer, while most of a run's output (plain state) needs no substitution.
 * Arrays and objects are copied only where something inside them changes.
 */
type Dictable = { toDict(): { type: string; data: Record<string, unknown> } };
type WithToJson = { toJSON(key: string): unknown };

function isDictable(value: object): value is Dictable {
  return typeof (value as Dictable).toDict === "function";
}

/** The value JSON.stringify should see for `value`, the property `key` of its holder (an index in an array). */
function wireValue(value: unknown, key: string | number): unknown {
  if (typeof value !== "object" || value === null) return typeof value === "bigint" ? value.toString() : value;
  if (isDictable(value)) {
    const { type, data } = value.toDict();
    return wireChildren({ ...data, type });
  }
  if (value instanceof Error) return { error: value.name, message: value.message };
  // As JSON.stringify does: toJSON once, then what it returned is serialised as it is (its members substituted).
  if (hasToJson(value)) {
    const returned = value.toJSON(String(key));
    // JSON.stringify would call a toJSON on the returned value too, where the rules do not: hand it a copy without.
    return wireChildren(hasToJson(returned) ? withoutToJson(returned) : returned);
  }
  return wireChildren(value);
}

function hasToJson(value: unknown): value is WithToJson {
  return typeof value === "object" && value !== null && typeof (value as WithToJson).toJSON === "function";
}

function withoutToJson(value: object): unknown {
  if (Array.isArray(value)) return Array.from(value);
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(value)) if (k !== "toJSON") copy[k] = (value as Record<string, unknown>)[k];
  return copy;
}

/** `value` with its members substituted; the same array or object when none of them changes. */
function wireChildren(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return typeof value === "bigint" ? value.toString() : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const wire = wireValue(item, i);
      if (copy === null && wire !== item) copy = value.slice(0, i);
      if (copy !== null) copy.push(wire);
    }
    return copy ?? value;
  }
  const holder = value as Record<string, unknown>;
  const keys = Object.keys(holder);
  let copy: Record<string, unknown> | null = null;
  for (let i = 0; i < keys.length; i++) {
    const item = holder[keys[i]];
    const wire = wireValue(item, keys[i]);
    if (copy === null && wire !== item) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]] = holder[keys[j]];
    }
    if (copy !== null) copy[keys[i]] = wire;
  }
  return copy ?? value;
}

/** One line of JSON (`undefined` becomes `null`). */
export function toJson(value: unknown): string {
  return JSON.stringify(wireValue(value, "")) ?? "null";
}

/** A plain JSON value with messages turned into dicts. */
export function toPlain<T = unknown>(value: unknown): T {
  return JSON.parse(toJson(value)) as T;
}
