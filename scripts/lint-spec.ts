/**
 * Lints an OpenAPI document: `tsx scripts/lint-spec.ts <spec.yaml>`. The file may `$ref` others, as
 * spec/openapi.yaml does spec/paths/ and spec/components/: checks 2, 3 and 5 run on the bundled
 * document (src/http/spec-document.ts, the one document the server and scripts/generate.ts read), and
 * problems are named by their file and line in the source files.
 *
 *  1. structural validation with @apidevtools/swagger-parser (OpenAPI 3.1 schema + $refs);
 *  2. operationId check: every operation has one, and no two share one, also
 *     case-insensitively (the message names both operations, with their files);
 *  3. number bounds: every integer or number schema has a minimum and a maximum (exclusive ones
 *     count), so no operation lets a huge or infinite number through to SQLite or a timer;
 *  4. component refs: every `$ref` names a component the root file lists under `components` (one it
 *     does not list would be copied into place by bundling, not shared as `#/components/...`);
 *  5. Spectral with spec/.spectral.yaml, failing on any warning or error.
 *
 * All checks always run, so one invocation reports every problem.
 * Exit code 0 only if all pass.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import SwaggerParser from "@apidevtools/swagger-parser";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document as YamlDocument } from "yaml";
import { bundleSpec } from "../src/http/spec-document.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RULESET = path.join(ROOT, "spec", ".spectral.yaml");
const SPECTRAL_BIN = path.join(
  ROOT,
  "node_modules",
  ".bin",
  process.platform === "win32" ? "spectral.cmd" : "spectral",
);

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface OperationRef {
  method: string;
  path: string;
  operationId: string | undefined;
}

/** Lists the operations of a parsed (not dereferenced) OpenAPI document, in document order. */
export function listOperations(doc: unknown): OperationRef[] {
  const ops: OperationRef[] = [];
  const paths = (doc as { paths?: Record<string, Record<string, unknown> | null> } | null)?.paths ?? {};
  for (const [p, item] of Object.entries(paths)) {
    if (!item || typeof item !== "object") continue;
    for (const method of HTTP_METHODS) {
      const op = item[method] as { operationId?: unknown } | undefined;
      if (!op || typeof op !== "object") continue;
      ops.push({
        method: method.toUpperCase(),
        path: p,
        operationId: typeof op.operationId === "string" && op.operationId !== "" ? op.operationId : undefined,
      });
    }
  }
  return ops;
}

/** Where a path of the bundled document comes from in the source files (`spec/paths/runs.yaml:12`). */
export type Locate = (at: readonly (string | number)[]) => string | undefined;

/**
 * Returns one message per problem: missing operationIds and duplicates (exact or case-insensitive).
 * With `locate`, each operation is followed by its source file and line.
 */
export function checkOperationIds(doc: unknown, locate?: Locate): string[] {
  const problems: string[] = [];
  const seen = new Map<string, OperationRef>();
  const place = (op: OperationRef) => {
    const source = locate?.(["paths", op.path, op.method.toLowerCase()]);
    return `${op.method} ${op.path}${source ? ` (${source})` : ""}`;
  };
  for (const op of listOperations(doc)) {
    const where = place(op);
    if (op.operationId === undefined) {
      problems.push(`missing operationId: ${where}`);
      continue;
    }
    const key = op.operationId.toLowerCase();
    const first = seen.get(key);
    if (!first) {
      seen.set(key, op);
      continue;
    }
    const firstWhere = place(first);
    if (first.operationId === op.operationId) {
      problems.push(`duplicate operationId "${op.operationId}": ${firstWhere} and ${where}`);
    } else {
      problems.push(
        `duplicate operationId (case-insensitive) "${first.operationId}" / "${op.operationId}": ${firstWhere} and ${where}`,
      );
    }
  }
  return problems;
}

/** `#/a/b~1c` from path segments (JSON pointer escaping). */
function pointer(path: readonly (string | number)[]): string {
  return `#/${path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

/**
 * One message per integer or number schema (anywhere in the document: parameters, bodies, responses,
 * components, array items, nullable `type: [number, "null"]`) without a minimum or a maximum.
 * With `locate`, each is followed by its source file and line.
 */
export function checkNumberBounds(doc: unknown, locate?: Locate): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const schema = node as Record<string, unknown>;
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const numeric = types.find((t) => t === "integer" || t === "number") as string | undefined;
    if (numeric) {
      const missing = [
        schema.minimum === undefined && schema.exclusiveMinimum === undefined ? "a minimum" : null,
        schema.maximum === undefined && schema.exclusiveMaximum === undefined ? "a maximum" : null,
      ].filter(Boolean);
      if (missing.length > 0) {
        const source = locate?.(path);
        problems.push(`${pointer(path)}: ${numeric} without ${missing.join(" or ")}${source ? ` (${source})` : ""}`);
      }
    }
    for (const [key, value] of Object.entries(schema)) visit(value, [...path, key]);
  };
  visit(doc, []);
  return problems;
}

/** A file name as printed: relative to the working directory when it is below it. */
function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** `#/a/b~1c` (or `/a/b~1c`, a `$ref` fragment) to path segments. */
function segmentsOf(fragment: string): string[] {
  const body = fragment.replace(/^#/, "");
  if (body === "" || body === "/") return [];
  return body
    .slice(1)
    .split("/")
    .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The file and fragment a `$ref` written in `from` points at, as `<absolute file>#<fragment>`. */
function refTarget(from: string, ref: string): string {
  const hash = ref.indexOf("#");
  const file = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? "" : ref.slice(hash + 1);
  const target = file ? path.resolve(path.dirname(from), decodeURI(file)) : from;
  return `${target}#${pointer(segmentsOf(fragment)).slice(1)}`;
}

/** The YAML source files of a split spec, parsed once each, with their line positions. */
class SourceFiles {
  private readonly files = new Map<string, { doc: YamlDocument; lines: LineCounter } | null>();

  load(file: string) {
    if (!this.files.has(file)) {
      try {
        const lines = new LineCounter();
        this.files.set(file, { doc: parseDocument(readFileSync(file, "utf8"), { lineCounter: lines }), lines });
      } catch {
        this.files.set(file, null); // swagger-parser reports a file it cannot read or parse
      }
    }
    return this.files.get(file) ?? undefined;
  }

  /**
   * Follows `at` (a path in the bundled document) from `root` through the source files, stepping
   * through each `$ref` on the way as bundling did: the file and line of the last key or item found.
   */
  locate(root: string, at: readonly (string | number)[]): string | undefined {
    let file = path.resolve(root);
    let node: unknown = this.load(file)?.doc.contents;
    let found: { file: string; offset: number } | undefined;
    for (const segment of at) {
      // (A path ending in `$ref` means the $ref itself, not what it points at.)
      for (let hops = 0; isMap(node) && segment !== "$ref" && hops < 32; hops++) {
        const ref = node.get("$ref");
        if (typeof ref !== "string") break;
        const target = refTarget(file, ref);
        const hash = target.indexOf("#");
        file = target.slice(0, hash);
        node = this.load(file)?.doc.getIn(segmentsOf(target.slice(hash)), true);
      }
      let offset: number | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
        node = pair?.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
        offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
      }
      if (offset === undefined) break;
      found = { file, offset };
    }
    if (!found) return undefined;
    return `${display(found.file)}:${this.load(found.file)!.lines.linePos(found.offset).line}`;
  }
}

/** A locator of bundled-document paths in the source files of the spec whose root is `root`. */
export function sourceLocator(root: string): Locate {
  const files = new SourceFiles();
  return (at) => files.locate(root, at);
}

/**
 * One message per `$ref` that does not name a component the root file lists under `components` (the
 * root's own `paths` entries may point at path items). Bundling turns a `$ref` to a listed component
 * into `#/components/<kind>/<name>`; one to anything else it copies into place (or turns into a
 * `$ref` to that copy), so the component would not be shared, and generated/ would inline it.
 */
export function checkComponentRefs(root: string): string[] {
  const rootFile = path.resolve(root);
  const files = new SourceFiles();
  const rootDoc = files.load(rootFile)?.doc.toJS() as
    { components?: Record<string, Record<string, { $ref?: unknown } | null> | null> } | undefined;
  const listed = new Set<string>();
  for (const [kind, entries] of Object.entries(rootDoc?.components ?? {})) {
    for (const [name, entry] of Object.entries(entries ?? {})) {
      listed.add(`${rootFile}${pointer(["components", kind, name])}`);
      if (typeof entry?.$ref === "string") listed.add(refTarget(rootFile, entry.$ref));
    }
  }
  const problems: string[] = [];
  const queue = [rootFile];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (visited.has(file)) continue;
    visited.add(file);
    const source = files.load(file);
    if (!source) continue;
    const visit = (node: unknown, at: (string | number)[]) => {
      if (Array.isArray(node)) {
        node.forEach((item, i) => visit(item, [...at, i]));
        return;
      }
      if (typeof node !== "object" || node === null) return;
      const ref = (node as { $ref?: unknown }).$ref;
      if (typeof ref === "string") {
        const target = refTarget(file, ref);
        queue.push(target.slice(0, target.indexOf("#")));
        const rootPathItem = file === rootFile && at.length === 2 && at[0] === "paths";
        if (!rootPathItem && !listed.has(target)) {
          const line = files.locate(file, [...at, "$ref"]);
          problems.push(
            `${line ?? display(file)}: $ref '${ref}' is not a component ${display(rootFile)} lists under components`,
          );
        }
      }
      for (const [key, value] of Object.entries(node)) visit(value, [...at, key]);
    };
    visit(source.doc.toJS(), []);
  }
  return problems;
}

interface SpectralResult {
  code: string | number;
  message: string;
  path: (string | number)[];
  severity: number;
}

const SEVERITY = ["error", "warning", "info", "hint"] as const;

/**
 * Runs the Spectral CLI on the bundled document (so rules that look at `$ref`s see the internal
 * `#/components/...` ones); returns problems (warnings and errors) and notes (infos and hints),
 * each placed in the source files by `locate`.
 */
function runSpectral(doc: unknown, locate: Locate): { problems: string[]; notes: string[]; ok: boolean } {
  const dir = mkdtempSync(path.join(tmpdir(), "lint-spec-"));
  const bundled = path.join(dir, "bundled.json");
  const out = path.join(dir, "spectral.json");
  try {
    writeFileSync(bundled, JSON.stringify(doc, null, 2));
    const res = spawnSync(
      SPECTRAL_BIN,
      ["lint", bundled, "-r", RULESET, "-F", "warn", "-f", "json", "-o", out, "--fail-on-unmatched-globs"],
      { encoding: "utf8", cwd: ROOT },
    );
    if (res.error) {
      return { problems: [`could not run spectral: ${res.error.message}`], notes: [], ok: false };
    }
    let results: SpectralResult[];
    try {
      results = JSON.parse(readFileSync(out, "utf8")) as SpectralResult[];
    } catch {
      const output = `${res.stdout ?? ""}${res.stderr ?? ""}`.trim();
      return { problems: [`spectral failed (exit ${res.status}): ${output}`], notes: [], ok: false };
    }
    const format = (r: SpectralResult) =>
      `${locate(r.path) ?? "?"} ${SEVERITY[r.severity] ?? r.severity} ${r.code}: ${r.message} (${r.path.join(".")})`;
    const problems = results.filter((r) => r.severity <= 1).map(format);
    const notes = results.filter((r) => r.severity > 1).map(format);
    if (problems.length === 0 && res.status !== 0) {
      problems.push(`spectral exited with ${res.status}: ${`${res.stdout ?? ""}${res.stderr ?? ""}`.trim()}`);
    }
    return { problems, notes, ok: problems.length === 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const arg = process.argv[2];
  if (!arg) {
    console.error("usage: tsx scripts/lint-spec.ts <openapi.yaml>");
    return 2;
  }
  const specPath = path.resolve(arg);
  const rel = display(specPath);
  const locate = sourceLocator(specPath);
  let failed = false;

  // The one document every check reads: the root with every file it $refs bundled in (read once).
  let operationCount = 0;
  let doc: unknown;
  try {
    doc = await bundleSpec(specPath);
  } catch (err) {
    failed = true;
    console.error(`✖ bundle: cannot bundle ${rel}: ${(err as Error).message}`);
  }

  // (a) structural validation (of a copy: validating dereferences the document it is given)
  if (doc !== undefined) {
    try {
      await SwaggerParser.validate(structuredClone(doc) as Parameters<typeof SwaggerParser.validate>[0]);
    } catch (err) {
      failed = true;
      console.error(`✖ swagger-parser: ${rel} is not a valid OpenAPI document:\n  ${(err as Error).message}`);
    }
  }

  if (doc !== undefined) {
    // (b) operationIds
    operationCount = listOperations(doc).length;
    const idProblems = checkOperationIds(doc, locate);
    if (idProblems.length > 0) {
      failed = true;
      console.error(`✖ operationId check: ${idProblems.length} problem(s)`);
      for (const p of idProblems) console.error(`  ${p}`);
    }

    // (c) number bounds
    const boundProblems = checkNumberBounds(doc, locate);
    if (boundProblems.length > 0) {
      failed = true;
      console.error(`✖ number bounds: ${boundProblems.length} integer/number schema(s) without a minimum or maximum`);
      for (const p of boundProblems) console.error(`  ${p}`);
    }
  }

  // (d) component refs
  const refProblems = checkComponentRefs(specPath);
  if (refProblems.length > 0) {
    failed = true;
    console.error(`✖ component refs: ${refProblems.length} $ref(s) to something not listed under components`);
    for (const p of refProblems) console.error(`  ${p}`);
  }

  // (e) Spectral
  if (doc !== undefined) {
    const spectral = runSpectral(doc, locate);
    for (const n of spectral.notes) console.log(`  spectral note: ${n}`);
    if (!spectral.ok) {
      failed = true;
      console.error(`✖ spectral: ${spectral.problems.length} problem(s)`);
      for (const p of spectral.problems) console.error(`  ${p}`);
    }
  }

  if (failed) {
    console.error(`lint:spec FAILED for ${rel}`);
    return 1;
  }
  console.log(
    `lint:spec OK: ${rel} — valid OpenAPI, ${operationCount} operations with unique operationIds, every number bounded, every $ref to a listed component, spectral 0 errors / 0 warnings`,
  );
  return 0;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
