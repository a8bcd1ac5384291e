/**
 * Lints an OpenAPI document: `tsx scripts/lint-spec.ts <spec.yaml>`.
 *
 *  1. structural validation with @apidevtools/swagger-parser (OpenAPI 3.1 schema + $refs);
 *  2. operationId check: every operation has one, and no two share one, also
 *     case-insensitively (the message names both operations);
 *  3. number bounds: every integer or number schema has a minimum and a maximum (exclusive ones
 *     count), so no operation lets a huge or infinite number through to SQLite or a timer;
 *  4. Spectral with spec/.spectral.yaml, failing on any warning or error.
 *
 * All checks always run, so one invocation reports every problem.
 * Exit code 0 only if all pass.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import SwaggerParser from "@apidevtools/swagger-parser";
import { parse as parseYaml } from "yaml";

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

/** Returns one message per problem: missing operationIds and duplicates (exact or case-insensitive). */
export function checkOperationIds(doc: unknown): string[] {
  const problems: string[] = [];
  const seen = new Map<string, OperationRef>();
  for (const op of listOperations(doc)) {
    const where = `${op.method} ${op.path}`;
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
    const firstWhere = `${first.method} ${first.path}`;
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
 */
export function checkNumberBounds(doc: unknown): string[] {
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
      if (missing.length > 0) problems.push(`${pointer(path)}: ${numeric} without ${missing.join(" or ")}`);
    }
    for (const [key, value] of Object.entries(schema)) visit(value, [...path, key]);
  };
  visit(doc, []);
  return problems;
}

interface SpectralResult {
  code: string | number;
  message: string;
  path: (string | number)[];
  severity: number;
  range?: { start: { line: number; character: number } };
}

const SEVERITY = ["error", "warning", "info", "hint"] as const;

/** Runs the Spectral CLI; returns problems (warnings and errors) and notes (infos and hints). */
function runSpectral(specPath: string): { problems: string[]; notes: string[]; ok: boolean } {
  const dir = mkdtempSync(path.join(tmpdir(), "lint-spec-"));
  const out = path.join(dir, "spectral.json");
  try {
    const res = spawnSync(
      SPECTRAL_BIN,
      ["lint", specPath, "-r", RULESET, "-F", "warn", "-f", "json", "-o", out, "--fail-on-unmatched-globs"],
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
    const format = (r: SpectralResult) => {
      const pos = r.range ? `${r.range.start.line + 1}:${r.range.start.character + 1}` : "?";
      return `${pos} ${SEVERITY[r.severity] ?? r.severity} ${r.code}: ${r.message} (${r.path.join(".")})`;
    };
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
  const rel = path.relative(process.cwd(), specPath) || specPath;
  let failed = false;

  // (a) structural validation
  let operationCount = 0;
  try {
    await SwaggerParser.validate(specPath);
  } catch (err) {
    failed = true;
    console.error(`✖ swagger-parser: ${rel} is not a valid OpenAPI document:\n  ${(err as Error).message}`);
  }

  // (b) operationIds
  try {
    const doc = parseYaml(readFileSync(specPath, "utf8"));
    operationCount = listOperations(doc).length;
    const problems = checkOperationIds(doc);
    if (problems.length > 0) {
      failed = true;
      console.error(`✖ operationId check: ${problems.length} problem(s)`);
      for (const p of problems) console.error(`  ${p}`);
    }
  } catch (err) {
    failed = true;
    console.error(`✖ operationId check: cannot read ${rel}: ${(err as Error).message}`);
  }

  // (c) number bounds
  try {
    const problems = checkNumberBounds(parseYaml(readFileSync(specPath, "utf8")));
    if (problems.length > 0) {
      failed = true;
      console.error(`✖ number bounds: ${problems.length} integer/number schema(s) without a minimum or maximum`);
      for (const p of problems) console.error(`  ${p}`);
    }
  } catch (err) {
    failed = true;
    console.error(`✖ number bounds: cannot read ${rel}: ${(err as Error).message}`);
  }

  // (d) Spectral
  const spectral = runSpectral(specPath);
  for (const n of spectral.notes) console.log(`  spectral note: ${n}`);
  if (!spectral.ok) {
    failed = true;
    console.error(`✖ spectral: ${spectral.problems.length} problem(s)`);
    for (const p of spectral.problems) console.error(`  ${p}`);
  }

  if (failed) {
    console.error(`lint:spec FAILED for ${rel}`);
    return 1;
  }
  console.log(
    `lint:spec OK: ${rel} — valid OpenAPI, ${operationCount} operations with unique operationIds, every number bounded, spectral 0 errors / 0 warnings`,
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
