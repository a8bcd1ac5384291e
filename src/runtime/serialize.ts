/**
 * JSON for the wire. LangChain messages (and anything else with `toDict`) are
 * written as `{...data, type}`, the shape LangGraph Platform clients expect.
 */
type Dictable = { toDict(): { type: string; data: Record<string, unknown> } };

function isDictable(value: unknown): value is Dictable {
  return typeof value === "object" && value !== null && typeof (value as Dictable).toDict === "function";
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (isDictable(raw)) {
    const { type, data } = raw.toDict();
    return { ...data, type };
  }
  if (raw instanceof Error) return { error: raw.name, message: raw.message };
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** One line of JSON (`undefined` becomes `null`). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, replacer) ?? "null";
}

/** A plain JSON value with messages turned into dicts. */
export function toPlain<T = unknown>(value: unknown): T {
  return JSON.parse(toJson(value)) as T;
}
