/**
 * The spec as the bad-input test reads it: every operation of spec/openapi.yaml (bundled as the server
 * loads it, then dereferenced), the facets of each schema node a generator needs (allowed JSON types,
 * enums, bounds, formats, object and array branches), a builder of valid values, and an oracle that
 * says whether a request breaks the contract (Ajv with the formats the server registers; path, query
 * and header values coerced from strings as OpenAPI parameters are, bodies not). Nothing here knows any
 * operation by name.
 */
import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { bundleSpec, SPEC_PATH } from "../../src/http/spec-document.ts";

export type Schema = Record<string, any>;
export type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";
export const JSON_TYPES: JsonType[] = ["null", "boolean", "integer", "number", "string", "array", "object"];

export interface SpecParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Schema;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  /** The path template, e.g. `/threads/{thread_id}/runs`. */
  path: string;
  parameters: SpecParameter[];
  body: { required: boolean; mediaTypes: string[]; schema: Schema } | null;
}

export interface SpecModel {
  operations: SpecOperation[];
  /** The schema every 4xx/5xx body follows. */
  errorSchema: Schema;
  /** Whether `value` (undefined: no body) is a body the operation's contract admits. */
  bodyAllowed(op: SpecOperation, value: unknown): boolean;
  /** Whether a path, query or header value (as sent, a string or repeated strings) is admitted. */
  paramAllowed(param: SpecParameter, value: string | string[] | undefined): boolean;
  errorBodyValid(value: unknown): boolean;
}

const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

export async function loadSpecModel(file = SPEC_PATH): Promise<SpecModel> {
  const doc = (await SwaggerParser.dereference(await bundleSpec(file))) as Schema;
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const byKey = new Map<string, SpecParameter>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        byKey.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: !!p.required, schema: p.schema ?? {} });
      }
      const content: Record<string, Schema> | undefined = op.requestBody?.content;
      const mediaTypes = Object.keys(content ?? {});
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        parameters: [...byKey.values()].filter((p) => p.in !== ("cookie" as SpecParameter["in"])),
        body: content
          ? {
              required: !!op.requestBody.required,
              mediaTypes,
              schema: content["application/json"]?.schema ?? content[mediaTypes[0]]?.schema ?? {},
            }
          : null,
      });
    }
  }

  // Two validators, as the server has: parameters coerced from their string form, bodies as sent.
  const bodyAjv = addFormats.default(new Ajv({ strict: false, allErrors: false }));
  const paramAjv = addFormats.default(new Ajv({ strict: false, allErrors: false, coerceTypes: true }));
  const bodyValidators = new Map<Schema, ValidateFunction>();
  const paramValidators = new Map<Schema, ValidateFunction>();
  const paramWrappers = new Map<Schema, Schema>();
  const compiled = (cache: Map<Schema, ValidateFunction>, ajv: Ajv, schema: Schema) => {
    let v = cache.get(schema);
    if (!v) cache.set(schema, (v = ajv.compile(schema)));
    return v;
  };
  const errorSchema: Schema = doc.components?.schemas?.ErrorResponse;
  if (!errorSchema) throw new Error("the spec has no components.schemas.ErrorResponse");

  return {
    operations,
    errorSchema,
    bodyAllowed(op, value) {
      if (!op.body) return true;
      if (value === undefined) return !op.body.required;
      return compiled(bodyValidators, bodyAjv, op.body.schema)(value) as boolean;
    },
    paramAllowed(param, value) {
      if (value === undefined) return !param.required;
      // As the server does: a lone value of an array-typed parameter is a list of one.
      const isArray = facetsOf(param.schema).types?.has("array") && !facetsOf(param.schema).types?.has("string");
      // Coercion rewrites the value in its parent object, so the parameter is validated as a property.
      let wrapper = paramWrappers.get(param.schema);
      if (!wrapper) paramWrappers.set(param.schema, (wrapper = { type: "object", properties: { v: param.schema } }));
      return compiled(
        paramValidators,
        paramAjv,
        wrapper,
      )({ v: isArray && !Array.isArray(value) ? [value] : value }) as boolean;
    },
    errorBodyValid(value) {
      return compiled(bodyValidators, bodyAjv, errorSchema)(value) as boolean;
    },
  };
}

/** What a schema node admits, flattened over `anyOf`/`oneOf` branches and type lists. */
export interface Facets {
  /** Allowed JSON types; null when any JSON value is allowed. */
  types: Set<JsonType> | null;
  /** Values named by `enum`/`const` in any branch. */
  enums: unknown[];
  strings: Schema[];
  numbers: Schema[];
  arrays: Schema[];
  objects: Schema[];
  /** Some branch takes any object (no declared properties) or any value. */
  freeForm: boolean;
}

const facetCache = new WeakMap<Schema, Facets>();

/** One branch per alternative and per listed type, each carrying the keywords that apply to it. */
function branches(schema: Schema): Schema[] {
  const alternatives: Schema[] | undefined = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.flatMap(branches);
  if (Array.isArray(schema.allOf)) return branches(Object.assign({}, ...schema.allOf.map((s: Schema) => s)));
  if (Array.isArray(schema.type)) {
    return schema.type.map((t: string) => ({
      ...schema,
      type: t,
      enum: schema.enum?.filter((v: unknown) => jsonTypeOf(v) === t || (t === "number" && typeof v === "number")),
    }));
  }
  return [schema];
}

export function jsonTypeOf(v: unknown): JsonType {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v as JsonType;
}

export function facetsOf(schema: Schema): Facets {
  const cached = facetCache.get(schema);
  if (cached) return cached;
  const f: Facets = { types: new Set(), enums: [], strings: [], numbers: [], arrays: [], objects: [], freeForm: false };
  for (const b of branches(schema)) {
    if (b.const !== undefined) f.enums.push(b.const);
    if (Array.isArray(b.enum)) f.enums.push(...b.enum);
    let type: string | undefined = b.type;
    if (!type && b.properties) type = "object";
    if (!type && b.items) type = "array";
    if (!type && b.const !== undefined) type = jsonTypeOf(b.const);
    if (!type && Array.isArray(b.enum)) {
      for (const v of b.enum) f.types!.add(jsonTypeOf(v));
      continue;
    }
    if (!type) {
      f.types = null; // `{}`: any JSON value
      f.freeForm = true;
      continue;
    }
    f.types?.add(type as JsonType);
    if (type === "number") f.types?.add("integer");
    if (type === "string") f.strings.push(b);
    if (type === "integer" || type === "number") f.numbers.push(b);
    if (type === "array") f.arrays.push(b);
    if (type === "object") {
      f.objects.push(b);
      if (!b.properties || Object.keys(b.properties).length === 0) f.freeForm = true;
    }
  }
  facetCache.set(schema, f);
  return f;
}

export function allows(f: Facets, t: JsonType): boolean {
  return f.types === null || f.types.has(t);
}

/** A value the server resolves at send time: a fixture id by name, possibly in another spelling. */
export class FixtureRef {
  constructor(
    readonly name: string,
    readonly form: (id: string) => string = (id) => id,
    /** How `form` spells the id, for reports ("UPPERCASE"). */
    readonly spelling?: string,
  ) {}
}

export interface BuildOptions {
  /** Fixture names the test can supply (e.g. thread_id → a real thread). */
  fixtureNames: ReadonlySet<string>;
  /** Also fill optional properties whose name is a fixture. */
  withOptionalFixtures: boolean;
  /** A fresh id for a `format: uuid` string that is no fixture. */
  newUuid(): string;
}

/** A valid value for `schema`: fixtures by name, else the first enum/const, minimal strings and numbers. */
export function buildValid(schema: Schema, name: string | undefined, opts: BuildOptions): unknown {
  if (Array.isArray(schema.allOf)) return buildObject(mergedAllOf(schema), opts);
  const f = facetsOf(schema);
  if (name !== undefined && opts.fixtureNames.has(name) && (f.types === null || f.types.has("string")))
    return new FixtureRef(name);
  const nonNull = f.enums.filter((v) => v !== null);
  if (nonNull.length && f.strings.every((s) => s.enum || s.const !== undefined)) return nonNull[0];
  const obj = f.objects[0];
  if (obj && (f.types?.size ?? 0) >= 1 && !f.strings.length) return buildObject(obj, opts);
  const str = f.strings.find((s) => !s.enum && s.const === undefined);
  if (str) {
    if (str.format === "uuid") return opts.newUuid();
    if (str.format === "uri") return "http://127.0.0.1:9/";
    if (str.format === "date-time") return new Date(0).toISOString();
    return "x".repeat(Math.max(1, str.minLength ?? 1));
  }
  const num = f.numbers[0];
  if (num) {
    const lo = num.minimum ?? (num.exclusiveMinimum !== undefined ? num.exclusiveMinimum + 1 : 1);
    return num.maximum !== undefined ? Math.min(lo, num.maximum) : lo;
  }
  if (f.types?.has("boolean")) return false;
  const arr = f.arrays[0];
  if (arr) return Array.from({ length: arr.minItems ?? 0 }, () => buildValid(arr.items ?? {}, undefined, opts));
  if (obj) return buildObject(obj, opts);
  if (f.types?.has("null")) return null;
  return {};
}

/** An `allOf` of object schemas (CronCreate: RunCreate and the cron's fields) as one object schema. */
function mergedAllOf(schema: Schema): Schema {
  const parts = (schema.allOf as Schema[]).map((s) => (Array.isArray(s.allOf) ? mergedAllOf(s) : s));
  return {
    type: "object",
    properties: Object.assign({}, ...parts.map((s) => s.properties ?? {})),
    required: parts.flatMap((s) => s.required ?? []),
  };
}

export function buildObject(schema: Schema, opts: BuildOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props: Record<string, Schema> = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  for (const [key, sub] of Object.entries(props)) {
    if (required.has(key) || (opts.withOptionalFixtures && opts.fixtureNames.has(key)))
      out[key] = buildValid(sub, key, opts);
  }
  for (const key of required) if (!(key in out)) out[key] = {};
  return out;
}
