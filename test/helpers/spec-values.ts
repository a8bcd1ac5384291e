/**
 * Values for the bad-input test: JSON text that JavaScript values cannot hold (10,000 levels deep,
 * 1e400, -0), the bad spellings of a UUID, and the request model every generated request is built in
 * before it is put on the wire.
 */
import { FixtureRef } from "./spec-model.ts";

/** JSON text placed as is in a body, with the value JSON.parse makes of it (what the contract judges). */
export class RawJson {
  constructor(
    readonly text: string,
    /** What the validator sees; INVALID_JSON when the text is no JSON at all. */
    readonly parsed: unknown,
    readonly label = text.length > 40 ? `${text.slice(0, 40)}…(${text.length} chars)` : text,
  ) {}
}
export const INVALID_JSON = Symbol("invalid JSON");

/** `{"a":{"a":…}}` or `[[…]]`, `depth` levels, built as text (no stack is needed to write it). */
export function deepJson(depth: number, kind: "object" | "array"): RawJson {
  const [open, close] = kind === "object" ? ['{"a":', "}"] : ["[", "]"];
  // The contract only looks at the outermost level of a free-form value; two levels stand in for it.
  const standIn = kind === "object" ? { a: { a: 0 } } : [[0]];
  return new RawJson(open.repeat(depth) + "0" + close.repeat(depth), standIn, `${kind} nested ${depth} deep`);
}

/** A path segment sent exactly as given (not percent-encoded by the generator). */
export class RawSegment {
  constructor(readonly text: string) {}
}

/** Removes the property (or parameter) instead of setting it. */
export const DELETE = Symbol("delete");

/** Malformed UUIDs: each is not a UUID under any reading. */
export const MALFORMED_UUIDS = [
  "not-a-uuid",
  "00000000-0000-0000-0000-00000000000",
  "00000000-0000-0000-0000-0000000000000",
  "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
  "1",
  "-1",
  "null",
  "00000000000000000000000000000000",
  "{00000000-0000-0000-0000-000000000000}",
  "00000000-0000-0000-0000-000000000000\n",
  " 00000000-0000-0000-0000-000000000000",
  "00000000_0000_0000_0000_000000000000",
  "../../../etc/passwd",
];

/** Other spellings of a real id: valid UUID syntax (or nearly), but not the canonical lowercase form. */
export const UUID_SPELLINGS: [string, (id: string) => string][] = [
  ["UPPERCASE", (id) => id.toUpperCase()],
  ["urn:uuid: prefix", (id) => `urn:uuid:${id}`],
  ["URN:UUID: prefix, uppercase", (id) => `URN:UUID:${id.toUpperCase()}`],
  ["mixed case", (id) => id.replace(/[a-f]/g, (c, i) => (i % 2 ? c.toUpperCase() : c))],
  ["braces", (id) => `{${id}}`],
  ["no dashes", (id) => id.replace(/-/g, "")],
  ["trailing space", (id) => `${id} `],
];

export type JsonBody = { kind: "json"; value: unknown; contentType?: string };
export type TextBody = { kind: "text"; text: string | Buffer; contentType?: string };

/** One request in the spec's terms, before fixtures are resolved and it is encoded for the wire. */
export interface SpecRequest {
  path: Record<string, unknown>;
  query: [string, unknown][];
  headers: Record<string, unknown>;
  body?: JsonBody | TextBody;
}

export function cloneRequest(r: SpecRequest): SpecRequest {
  return {
    path: { ...r.path },
    query: r.query.map(([k, v]) => [k, v] as [string, unknown]),
    headers: { ...r.headers },
    body: r.body && (r.body.kind === "json" ? { ...r.body, value: cloneJson(r.body.value) } : { ...r.body }),
  };
}

/** Deep copy of a request value tree; markers (fixtures, raw JSON) are shared, being immutable. */
export function cloneJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneJson);
  if (v && typeof v === "object" && v.constructor === Object)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneJson(x)]));
  return v;
}

export type Fixtures = Record<string, string>;

/** Replaces fixture references with the ids they stand for. */
export function resolveFixtures(v: unknown, fx: Fixtures): unknown {
  if (v instanceof FixtureRef) {
    const id = fx[v.name];
    if (id === undefined) throw new Error(`no fixture for "${v.name}"`);
    return v.form(id);
  }
  if (Array.isArray(v)) return v.map((x) => resolveFixtures(x, fx));
  if (v && typeof v === "object" && v.constructor === Object)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveFixtures(x, fx)]));
  return v;
}

/** What the contract judges: raw JSON replaced by what it parses to. INVALID_JSON when any part cannot parse. */
export function parsedView(v: unknown): unknown {
  if (v instanceof RawJson) return v.parsed;
  if (Array.isArray(v)) {
    const out = v.map(parsedView);
    return out.includes(INVALID_JSON) ? INVALID_JSON : out;
  }
  if (v && typeof v === "object" && v.constructor === Object) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = parsedView(x);
      if (p === INVALID_JSON) return INVALID_JSON;
      // JSON.parse makes "__proto__" an own property; so must the stand-in.
      Object.defineProperty(out, k, { value: p, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

/** JSON text of a value tree, with raw JSON spliced in where it stands. */
export function toJsonText(v: unknown): string {
  const raws: RawJson[] = [];
  const token = `\u0001raw${Math.random().toString(36).slice(2)}`;
  const text = JSON.stringify(v, (_k, x) => {
    if (x instanceof RawJson) {
      raws.push(x);
      return `${token}${raws.length - 1}`;
    }
    return x;
  });
  if (!raws.length) return text;
  // JSON.stringify writes the marker's \u0001 as the escape "\u0001".
  const escaped = JSON.stringify(token).slice(1, -1);
  return text.replace(new RegExp(`"${escaped.replace(/\\/g, "\\\\")}(\\d+)"`, "g"), (_m, i) => raws[Number(i)].text);
}

/** Short text for a value in a report. */
export function describeValue(v: unknown): string {
  if (v === DELETE) return "(missing)";
  if (v instanceof RawJson) return v.label;
  if (v instanceof RawSegment) return `raw ${JSON.stringify(v.text.slice(0, 40))}`;
  if (v instanceof FixtureRef) return `${v.name} as ${v.form("<id>")}`;
  if (typeof v === "string")
    return v.length > 40 ? `${JSON.stringify(v.slice(0, 20))}…(${v.length} chars)` : JSON.stringify(v);
  if (Array.isArray(v)) return v.length > 5 ? `array of ${v.length} × ${describeValue(v[0])}` : safeJson(v);
  if (v && typeof v === "object") {
    const keys = Object.keys(v);
    return keys.length > 5 ? `object of ${keys.length} keys` : safeJson(v);
  }
  return String(v);
}

function safeJson(v: unknown): string {
  const text = toJsonText(v);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
