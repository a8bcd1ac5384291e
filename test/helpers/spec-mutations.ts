/**
 * The bad values of one schema node, by what the node admits: every JSON type it does not, values
 * outside its enum, strings past their bounds, malformed and odd-spelled UUIDs, numbers outside their
 * range or outside what a double holds, huge arrays, deep, wide and prototype-keyed JSON where any
 * object goes. Which of them the contract forbids is the oracle's to say (spec-model.ts).
 */
import {
  JSON_TYPES,
  allows,
  buildValid,
  facetsOf,
  FixtureRef,
  type BuildOptions,
  type JsonType,
  type Schema,
} from "./spec-model.ts";
import { MALFORMED_UUIDS, RawJson, UUID_SPELLINGS, deepJson, describeValue } from "./spec-values.ts";

export const SAMPLE: Record<JsonType, unknown> = {
  null: null,
  boolean: true,
  integer: 7,
  number: 1.5,
  string: "x",
  array: [],
  object: {},
};
export const LONG = 100_000;
export const LONG_IN_URL = 6_000; // well under Node's 16 KiB header limit: the URL is the server's to judge
export const DEEP = 10_000;
/** Bad items in one array: each is one listed issue in a 422 that does not cap them (issue 12 item 8). */
export const HUGE_ARRAY = 20_000;
/** Past the server's 10 MB JSON limit: a 413 in the envelope. */
export const OVER_LIMIT = (10 << 20) + 1024;

/** A value made only when its request is (huge arrays and objects cost memory until sent). */
export class Lazy {
  constructor(
    readonly label: string,
    readonly make: (itemSchema: Schema | undefined, opts: BuildOptions) => unknown,
  ) {}
}

export interface Mutation {
  kind: string;
  value: unknown;
}

/** The bad values of one schema node (the oracle decides which of them the contract forbids). */
export function valueMutations(schema: Schema, fixtureName: string | null, inUrl: boolean): Mutation[] {
  const f = facetsOf(schema);
  const out: Mutation[] = [];
  const add = (kind: string, value: unknown) => out.push({ kind, value });
  if (!inUrl) {
    for (const t of JSON_TYPES)
      if (!allows(f, t) && !(t === "integer" && allows(f, "number"))) add("wrong type", SAMPLE[t]);
  }
  const strings = new Set<string>();
  if (f.enums.length) {
    const firstString = f.enums.find((v): v is string => typeof v === "string");
    for (const v of ["__not_in_enum__", firstString?.toUpperCase(), ""])
      if (v !== undefined && !f.enums.includes(v)) strings.add(v);
    for (const v of strings) add("unknown enum", v);
    if (inUrl && f.enums.includes(true)) add("unknown enum", "yes");
  }
  for (const s of f.strings) {
    if (s.maxLength !== undefined) add("over-long string", "x".repeat(s.maxLength + 1));
    else if (!s.enum && s.const === undefined) add("long string", "x".repeat(inUrl ? LONG_IN_URL : LONG));
    if ((s.minLength ?? 0) > 0) add("too-short string", "x".repeat(s.minLength - 1));
    if (s.format === "uuid") {
      for (const bad of MALFORMED_UUIDS) add("malformed UUID", bad);
      for (const [label, form] of UUID_SPELLINGS) {
        add("odd-form UUID", new FixtureRef(fixtureName ?? "random_uuid", form, label));
      }
      add("unknown UUID", new FixtureRef("random_uuid"));
    } else if (s.format === "uri") {
      for (const v of ["not a uri", "http://", "http://exa mple.com/", "javascript:alert(1)"]) add("bad URI", v);
    } else if (s.format === "date-time") {
      add("bad date-time", "yesterday");
    }
    if (!s.enum && s.const === undefined && !s.format) {
      add("odd characters", "\u0000nul");
      add("odd characters", inUrl ? "é/../%2e%2e" : "\ud800 lone surrogate");
    }
  }
  for (const n of f.numbers) {
    const integer = n.type === "integer";
    const values: unknown[] = [-1, 1e20, 2 ** 53 + 2];
    if (n.minimum !== undefined) values.push(n.minimum - 1);
    if (n.maximum !== undefined) values.push(n.maximum + 1);
    if (integer) values.push(1.5);
    for (const v of values) add("out-of-range number", inUrl ? String(v) : v);
    const raws = ["1e400", "-1e400", "-0", "123456789012345678901234567890"];
    for (const r of raws) add("out-of-range number", inUrl ? r : new RawJson(r, JSON.parse(r)));
    for (const s of ["NaN", "Infinity", "-Infinity", "1e20", inUrl ? "abc" : "7", inUrl ? "" : " 7"])
      add(inUrl ? "not a number" : "wrong type", s);
    if (inUrl) add("not a number", "0x10");
  }
  if (inUrl && f.types?.has("boolean")) for (const v of ["TRUE", "2", "yes"]) add("not a boolean", v);
  for (const a of inUrl ? [] : f.arrays) {
    const items = (n: number) => (item: Schema | undefined, opts: BuildOptions) =>
      Array.from({ length: n }, () => buildValid(item ?? {}, undefined, opts));
    if (a.maxItems !== undefined)
      add("too many items", new Lazy(`${a.maxItems + 1} valid items`, items(a.maxItems + 1)));
    if ((a.minItems ?? 0) > 0) add("too few items", []);
    const itemFacets = facetsOf(a.items ?? {});
    const wrong = JSON_TYPES.find((t) => !allows(itemFacets, t));
    if (wrong)
      add(
        "huge array",
        new Lazy(`${HUGE_ARRAY} × ${describeValue(SAMPLE[wrong])}`, () =>
          Array.from({ length: HUGE_ARRAY }, () => SAMPLE[wrong]),
        ),
      );
    add(
      "huge array",
      new Lazy("20,000 valid items", (item, opts) => {
        const uuid = facetsOf(item ?? {}).strings.some((x) => x.format === "uuid");
        if (!uuid) return items(20_000)(item, opts);
        return Array.from({ length: 20_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
      }),
    );
  }
  if (f.freeForm && !inUrl) {
    if (allows(f, "object")) add("deep JSON", deepJson(DEEP, "object"));
    if (allows(f, "array")) add("deep JSON", deepJson(DEEP, "array"));
    if (allows(f, "object")) {
      add("deep JSON", deepJson(3_500, "object"));
      add(
        "prototype keys",
        JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
      );
      add(
        "wide object",
        new Lazy("object of 5,000 keys", () =>
          Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])),
        ),
      );
      add("long key", new Lazy(`key of ${LONG} chars`, () => ({ ["k".repeat(LONG)]: 1 })));
    }
  }
  return out;
}

export function materialize(value: unknown, itemSchema: Schema | undefined, opts: BuildOptions): unknown {
  return value instanceof Lazy ? value.make(itemSchema, opts) : value;
}

export function labelOf(value: unknown): string {
  if (value instanceof Lazy) return value.label;
  if (value instanceof FixtureRef) return value.spelling ? `${value.name} ${value.spelling}` : `a ${value.name}`;
  return describeValue(value);
}
