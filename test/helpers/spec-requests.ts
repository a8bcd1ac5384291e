/**
 * Bad requests derived from the spec: for every operation, a valid base request (fixtures by
 * parameter/property name) and, from every schema node of its path, query, headers and body, the
 * requests that break it: wrong JSON types, missing required fields, values outside enums, strings past
 * their bounds, deep JSON in free-form fields, malformed and odd-spelled UUIDs, numbers outside their
 * range (or outside what a double or SQLite holds), other media types, invalid JSON, huge arrays.
 * fast-check draws random ones on top, from a seed, so a run can be replayed.
 */
import {
  JSON_TYPES,
  allows,
  buildObject,
  buildValid,
  facetsOf,
  FixtureRef,
  type BuildOptions,
  type Schema,
  type SpecOperation,
  type SpecParameter,
} from "./spec-model.ts";
import {
  DELETE,
  RawJson,
  RawSegment,
  cloneJson,
  cloneRequest,
  deepJson,
  describeValue,
  toJsonText,
  type SpecRequest,
} from "./spec-values.ts";
import { DEEP, OVER_LIMIT, SAMPLE, labelOf, materialize, valueMutations } from "./spec-mutations.ts";

export interface BadCase {
  operationId: string;
  /** The kind of bad input, for grouping: "wrong type", "deep JSON", … */
  kind: string;
  /** Where it is: `body.config.recursion_limit`, `query.limit`, `path.thread_id`, `content-type`. */
  where: string;
  label: string;
  /** Set when the verdict is not the schema's to give (media types, routing); else the oracle decides. */
  mustReject?: boolean;
  make(base: SpecRequest): SpecRequest;
}

/** The valid base request of an operation: path parameters and required parts, fixtures by name. */
export function baseRequest(op: SpecOperation, opts: BuildOptions): SpecRequest {
  const req: SpecRequest = { path: {}, query: [], headers: {} };
  for (const p of op.parameters) {
    const fixture = opts.fixtureNames.has(p.name);
    if (p.in === "path")
      req.path[p.name] = fixture ? new FixtureRef(p.name) : String(buildValid(p.schema, p.name, opts));
    else if (p.required || (opts.withOptionalFixtures && fixture)) {
      const v = buildValid(p.schema, p.name, opts);
      if (p.in === "query") req.query.push([p.name, v instanceof FixtureRef ? v : String(v)]);
      else req.headers[p.name] = v instanceof FixtureRef ? v : String(v);
    }
  }
  if (op.body && (op.body.required || opts.withOptionalFixtures)) {
    req.body = { kind: "json", value: buildValid(op.body.schema, undefined, opts) };
  }
  return req;
}

export interface BodyNode {
  /** Keys from the body's root to this node. */
  steps: (string | number)[];
  /** The schema of each step's value (same length as steps). */
  schemas: Schema[];
}

const MAX_DEPTH = 4;

export function* walk(schema: Schema, node: BodyNode): Generator<BodyNode> {
  if (node.steps.length) yield node;
  if (node.steps.length >= MAX_DEPTH) return;
  const f = facetsOf(schema);
  const seen = new Set<string>();
  for (const obj of f.objects) {
    for (const [key, sub] of Object.entries<Schema>(obj.properties ?? {})) {
      if (seen.has(key)) continue;
      seen.add(key);
      yield* walk(sub, { steps: [...node.steps, key], schemas: [...node.schemas, sub] });
    }
  }
  for (const arr of f.arrays) {
    if (!arr.items) continue;
    yield* walk(arr.items, { steps: [...node.steps, 0], schemas: [...node.schemas, arr.items] });
    // A bad element after a good one: a batch must be all or nothing.
    if (facetsOf(arr.items).objects.length)
      yield* walk(arr.items, { steps: [...node.steps, 1], schemas: [...node.schemas, arr.items] });
    break;
  }
}

/** Sets (or deletes) the value at `node` in a copy of `root`, building valid ancestors where missing. */
export function setIn(root: unknown, rootSchema: Schema, node: BodyNode, value: unknown, opts: BuildOptions): unknown {
  const container = (v: unknown, schema: Schema, nextKey: string | number): any => {
    const wantArray = typeof nextKey === "number";
    if (wantArray ? Array.isArray(v) : v && typeof v === "object" && !Array.isArray(v) && !(v instanceof RawJson))
      return v;
    const built = wantArray
      ? buildValid(facetsOf(schema).arrays[0] ?? {}, undefined, opts)
      : buildValidObject(schema, opts);
    return wantArray ? (Array.isArray(built) ? built : []) : built;
  };
  const top = container(cloneJson(root), rootSchema, node.steps[0]);
  let cur = top;
  for (let i = 0; i < node.steps.length; i++) {
    const key = node.steps[i];
    if (i === node.steps.length - 1) {
      if (value === DELETE) {
        if (Array.isArray(cur)) cur.splice(Number(key), 1);
        else delete cur[key];
      } else {
        if (typeof key === "number") while (cur.length < key) cur.push(buildValid(node.schemas[i], undefined, opts));
        cur[key] = value;
      }
      break;
    }
    if (typeof key === "number") while (cur.length <= key) cur.push(buildValid(node.schemas[i], undefined, opts));
    cur[key] = container(cur[key], node.schemas[i], node.steps[i + 1]);
    cur = cur[key];
  }
  return top;
}

function buildValidObject(schema: Schema, opts: BuildOptions): Record<string, unknown> {
  const obj = facetsOf(schema).objects[0];
  return obj ? buildObject(obj, opts) : {};
}

function arrayItems(schema: Schema): Schema | undefined {
  return facetsOf(schema).arrays[0]?.items;
}

/** Systematic bad requests of one operation. */
export function systematicCases(op: SpecOperation, opts: BuildOptions): BadCase[] {
  const cases: BadCase[] = [];
  const add = (c: Omit<BadCase, "operationId">) => cases.push({ operationId: op.operationId, ...c });

  for (const p of op.parameters) cases.push(...parameterCases(op, p, opts));

  // Parameters the operation does not declare are ignored, however they look.
  add({
    kind: "unknown parameter",
    where: "query",
    label: "1,000 unknown parameters",
    make: (b) =>
      withQuery(
        b,
        Array.from({ length: 1000 }, (_, i) => [`zz${i}`, "1"]),
      ),
  });

  const body = op.body;
  if (!body) {
    // A body the operation does not take: ignored or refused, never a 5xx.
    for (const [ct, text] of [
      ["application/json", "{not json"],
      ["text/plain", '{"a":1}'],
    ])
      add({
        kind: "unexpected body",
        where: "body",
        label: `${ct} ${text}`,
        make: (b) => ({ ...cloneRequest(b), body: { kind: "text", text, contentType: ct } }),
      });
    return cases;
  }

  const bodyOf = (b: SpecRequest) =>
    b.body?.kind === "json" ? b.body.value : buildValid(body.schema, undefined, opts);
  const withBody = (b: SpecRequest, value: unknown): SpecRequest => ({
    ...cloneRequest(b),
    body: { kind: "json", value },
  });

  // The body as a whole.
  const rootFacets = facetsOf(body.schema);
  for (const t of JSON_TYPES) {
    if (allows(rootFacets, t)) continue;
    add({ kind: "wrong type", where: "body", label: describeValue(SAMPLE[t]), make: (b) => withBody(b, SAMPLE[t]) });
  }
  add({
    kind: "missing body",
    where: "body",
    label: "no body",
    make: (b) => ({ ...cloneRequest(b), body: undefined }),
  });
  for (const text of ["{", "{'a':1}", '{"a":1,}', "nul", "{}x", '{"a":1}{"b":2}', "\u00ff\u00fe{", '{"a":"\\x"}']) {
    add({
      kind: "invalid JSON",
      where: "body",
      label: JSON.stringify(text),
      mustReject: true,
      make: (b) => ({ ...cloneRequest(b), body: { kind: "text", text, contentType: "application/json" } }),
    });
  }
  const mediaTypes: [string, (b: SpecRequest) => string | Buffer][] = [
    ["text/plain", (b) => toJsonText(bodyOf(b))],
    ["text/plain;charset=UTF-8", (b) => toJsonText(bodyOf(b))],
    ["application/x-www-form-urlencoded", (b) => formEncoded(bodyOf(b))],
    ["multipart/form-data; boundary=x", () => '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
    ["application/garbage", (b) => toJsonText(bodyOf(b))],
    ["text/json", (b) => toJsonText(bodyOf(b))],
  ];
  for (const [ct, text] of mediaTypes) {
    const json = ct === "application/json" || /^application\/[^;]*\+json/.test(ct);
    add({
      kind: "wrong content type",
      where: "content-type",
      label: ct,
      mustReject: !json && !body.mediaTypes.includes(ct.split(";")[0]),
      make: (b) => ({ ...cloneRequest(b), body: { kind: "text", text: text(b), contentType: ct } }),
    });
  }
  add({
    kind: "wrong content type",
    where: "content-type",
    label: "no Content-Type",
    make: (b) => ({ ...cloneRequest(b), body: { kind: "text", text: Buffer.from(toJsonText(bodyOf(b))) } }),
  });
  add({
    kind: "over-large body",
    where: "body",
    label: `${OVER_LIMIT} byte body`,
    mustReject: true,
    make: (b) => {
      const v = bodyOf(b);
      const big =
        v && typeof v === "object" && !Array.isArray(v)
          ? { ...(v as object), zz_pad: "x".repeat(OVER_LIMIT) }
          : ["x".repeat(OVER_LIMIT)];
      return withBody(b, big);
    },
  });
  if (allows(rootFacets, "object") && !Array.isArray(bodyOf(baseRequest(op, opts))))
    add({
      kind: "deep JSON",
      where: "body.zz_unknown",
      label: `unknown field nested ${DEEP} deep`,
      make: (b) => withBody(b, { ...(bodyOf(b) as object), zz_unknown: deepJson(DEEP, "object") }),
    });

  // Every node of the body schema.
  for (const node of walk(body.schema, { steps: [], schemas: [] })) {
    const schema = node.schemas[node.schemas.length - 1];
    const key = node.steps[node.steps.length - 1];
    const where = `body.${node.steps.join(".")}`;
    const fixture = typeof key === "string" && opts.fixtureNames.has(key) ? key : null;
    for (const m of valueMutations(schema, fixture, false)) {
      add({
        kind: m.kind,
        where,
        label: labelOf(m.value),
        make: (b) =>
          withBody(b, setIn(bodyOf(b), body.schema, node, materialize(m.value, arrayItems(schema), opts), opts)),
      });
    }
    for (const obj of facetsOf(schema).objects) {
      for (const req of obj.required ?? []) {
        const child = { steps: [...node.steps, req], schemas: [...node.schemas, obj.properties?.[req] ?? {}] };
        add({
          kind: "missing required",
          where: `${where}.${req}`,
          label: "(missing)",
          make: (b) => withBody(b, setIn(bodyOf(b), body.schema, child, DELETE, opts)),
        });
      }
    }
  }
  for (const req of rootFacets.objects[0]?.required ?? []) {
    const child = { steps: [req], schemas: [rootFacets.objects[0].properties?.[req] ?? {}] };
    add({
      kind: "missing required",
      where: `body.${req}`,
      label: "(missing)",
      make: (b) => withBody(b, setIn(bodyOf(b), body.schema, child, DELETE, opts)),
    });
  }
  return cases;
}

function parameterCases(op: SpecOperation, p: SpecParameter, opts: BuildOptions): BadCase[] {
  const where = `${p.in}.${p.name}`;
  const fixture = opts.fixtureNames.has(p.name) ? p.name : null;
  const cases: BadCase[] = [];
  const add = (kind: string, value: unknown) =>
    cases.push({
      operationId: op.operationId,
      kind,
      where,
      label: labelOf(value),
      make: (b) => withParam(b, p, value),
    });
  for (const m of valueMutations(p.schema, fixture, true)) {
    // A header cannot carry NUL or line breaks (the client refuses to send them).
    if (p.in === "header" && m.kind === "odd characters") continue;
    if (p.in === "header" && typeof m.value === "string" && /[\r\n]/.test(m.value)) continue;
    add(m.kind, m.value);
  }
  if (p.in === "path") {
    add("empty path segment", "");
    for (const raw of ["%ZZ", "%00", "%2F", "%C0%AF"]) add("bad percent-encoding", new RawSegment(raw));
  } else {
    add("missing parameter", DELETE);
    if (p.in === "query") add("repeated parameter", [String(buildValid(p.schema, undefined, opts)), "x"]);
    add("empty value", "");
  }
  if (p.in === "query" && facetsOf(p.schema).types?.has("string") === false) add("wrong type", "[object Object]");
  return cases;
}

function withParam(b: SpecRequest, p: SpecParameter, value: unknown): SpecRequest {
  const r = cloneRequest(b);
  if (p.in === "path") r.path[p.name] = value;
  else if (p.in === "header") {
    if (value === DELETE) delete r.headers[p.name];
    else r.headers[p.name] = value;
  } else {
    r.query = r.query.filter(([k]) => k !== p.name);
    if (Array.isArray(value)) for (const v of value) r.query.push([p.name, v]);
    else if (value !== DELETE) r.query.push([p.name, value]);
  }
  return r;
}

function withQuery(b: SpecRequest, extra: [string, string][]): SpecRequest {
  const r = cloneRequest(b);
  r.query.push(...extra);
  return r;
}

function formEncoded(v: unknown): string {
  const entries: [string, unknown][] =
    v && typeof v === "object" && !Array.isArray(v) ? Object.entries(v) : [["body", v]];
  return new URLSearchParams(
    entries.map(([k, x]) => [k, typeof x === "string" ? x : toJsonText(x)] as [string, string]),
  ).toString();
}
