/**
 * The random half of the bad-input test: fast-check draws, from one seed, a target (a body node, a
 * parameter, an undeclared parameter) and a value for it (any JSON, odd strings, numbers past what a
 * double or SQLite holds, UUID look-alikes, JSON nested to a random depth), and picks the systematic
 * cases a run sends when there are more than its budget, spread over every kind.
 */
import fc from "fast-check";
import {
  buildValid,
  facetsOf,
  type BuildOptions,
  type Schema,
  type SpecOperation,
  type SpecParameter,
} from "./spec-model.ts";
import {
  INVALID_JSON,
  RawJson,
  UUID_SPELLINGS,
  cloneRequest,
  deepJson,
  describeValue,
  type SpecRequest,
} from "./spec-values.ts";
import { setIn, walk, type BadCase, type BodyNode } from "./spec-requests.ts";

const anyString = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.string({ unit: "grapheme", maxLength: 32 }),
  fc.string({ unit: "binary", maxLength: 32 }),
);
const anyNumber = fc.oneof(
  fc.integer(),
  fc.double().map((d) => (Number.isFinite(d) ? d : new RawJson(String(d), INVALID_JSON))),
  fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }).map((b) => new RawJson(b.toString(), Number(b))),
);
const uuidLike = fc
  .uuid()
  .chain((u) =>
    fc.constantFrom(...UUID_SPELLINGS.map(([, form]) => form(u)), u.slice(1), `${u}0`, u.replace(/-/g, "-0")),
  );
const headerSafe = fc.stringMatching(/^[ -~]{0,40}$/);

function bodyValue(schema: Schema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [fc.jsonValue({ maxDepth: 3 }), anyString, anyNumber, uuidLike];
  // Free-form objects: nested to a random depth, across the depth where a recursive serializer gives out.
  if (facetsOf(schema).freeForm) options.push(fc.integer({ min: 100, max: 12_000 }).map((d) => deepJson(d, "object")));
  return fc.oneof(...options);
}

function urlValue(p: SpecParameter): fc.Arbitrary<unknown> {
  if (p.in === "header") return headerSafe;
  return fc.oneof(
    anyString,
    anyNumber.map((v) => (v instanceof RawJson ? v.text : String(v))),
    uuidLike,
    fc.constantFrom("", "-1", "1e400", "null", "undefined", "[]", "{}"),
  );
}

interface Target {
  where: string;
  arbitrary: fc.Arbitrary<unknown>;
  apply(base: SpecRequest, value: unknown): SpecRequest;
}

function targetsOf(op: SpecOperation, opts: BuildOptions): Target[] {
  const targets: Target[] = [];
  for (const p of op.parameters) {
    targets.push({
      where: `${p.in}.${p.name}`,
      arbitrary: urlValue(p),
      apply(base, value) {
        const r = cloneRequest(base);
        if (p.in === "path") r.path[p.name] = String(value);
        else if (p.in === "header") r.headers[p.name] = String(value);
        else r.query = [...r.query.filter(([k]) => k !== p.name), [p.name, String(value)]];
        return r;
      },
    });
  }
  // Undeclared parameters are ignored; the systematic cases send 1,000 of them. Drawn only where there is
  // nothing else to draw.
  if (!op.parameters.length && !op.body)
    targets.push({
      where: "query (undeclared)",
      arbitrary: fc.tuple(fc.stringMatching(/^[a-z_[\].]{1,12}$/), anyString),
      apply(base, value) {
        const [name, v] = value as [string, string];
        const r = cloneRequest(base);
        if (!op.parameters.some((p) => p.in === "query" && p.name === name)) r.query.push([name, v]);
        return r;
      },
    });
  const body = op.body;
  if (body) {
    const rootValue = (b: SpecRequest) =>
      b.body?.kind === "json" ? b.body.value : buildValid(body.schema, undefined, opts);
    for (const node of walk(body.schema, { steps: [], schemas: [] }) as Generator<BodyNode>) {
      const schema = node.schemas[node.schemas.length - 1];
      targets.push({
        where: `body.${node.steps.join(".")}`,
        arbitrary: bodyValue(schema),
        apply: (b, value) => ({
          ...cloneRequest(b),
          body: { kind: "json", value: setIn(rootValue(b), body.schema, node, value, opts) },
        }),
      });
    }
  }
  return targets;
}

/** `count` random bad requests of one operation, the same for the same seed. */
export function randomCases(op: SpecOperation, opts: BuildOptions, seed: number, count: number): BadCase[] {
  const targets = targetsOf(op, opts);
  if (!count || !targets.length) return [];
  const draws = fc.sample(
    fc.constantFrom(...targets).chain((t) => t.arbitrary.map((v) => [t, v] as const)),
    { seed, numRuns: count },
  );
  return draws.map(([t, v]) => ({
    operationId: op.operationId,
    kind: "random (fast-check)",
    where: t.where,
    label: Array.isArray(v) && t.where.startsWith("query (") ? `${v[0]}=${describeValue(v[1])}` : describeValue(v),
    make: (b: SpecRequest) => t.apply(b, v),
  }));
}

/**
 * Up to `budget` of `cases`: duplicates dropped, then taken in turn from each kind, and within a kind in
 * turn from each place (both orders shuffled by the seed), so every kind is sent, spread over the schema,
 * even when one kind (wrong types, say) has hundreds of cases.
 */
export function selectCases(cases: BadCase[], budget: number, seed: number): BadCase[] {
  const unique = new Map<string, BadCase>();
  for (const c of cases) unique.set(`${c.where}|${c.kind}|${c.label}`, c);
  const byKind = new Map<string, Map<string, BadCase[]>>();
  for (const c of unique.values()) {
    const byWhere = byKind.get(c.kind) ?? new Map<string, BadCase[]>();
    byWhere.set(c.where, [...(byWhere.get(c.where) ?? []), c]);
    byKind.set(c.kind, byWhere);
  }
  let n = seed;
  const shuffled = <T>(items: T[]): T[] =>
    items.length < 2
      ? items
      : fc.sample(fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }), {
          seed: n++,
          numRuns: 1,
        })[0];
  const kinds = [...byKind.values()].map((byWhere) => interleave(shuffled([...byWhere.values()].map(shuffled))));
  return interleave(shuffled(kinds)).slice(0, budget);
}

/** One from each list in turn until all are empty. */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}
