/**
 * Generates TypeScript from spec/openapi.yaml, bundled with the files it $refs into one document
 * (src/http/spec-document.ts, as the server loads it):
 *   generated/openapi.ts        `paths`, `components`, `operations` types (openapi-typescript)
 *   generated/operation-ids.ts  `operationIds`, `OperationId`, `operationTags`, `operationRoutes`,
 *                               `operationPermissions`
 *
 *   tsx scripts/generate.ts          write the files
 *   tsx scripts/generate.ts --check  write nothing; exit 1 if the files on disk differ
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { bundleSpec } from "../src/http/spec-document.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = path.join(ROOT, "generated");
const BANNER = "// Generated from spec/openapi.yaml by scripts/generate.ts. Do not edit.\n";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

interface OperationInfo {
  operationId: string;
  method: string;
  path: string;
  tag: string;
  permission: string;
}

function collectOperations(doc: unknown): OperationInfo[] {
  const paths = (doc as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  const ops: OperationInfo[] = [];
  for (const [p, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const op = item?.[method] as { operationId?: string; tags?: string[]; "x-permission"?: string } | undefined;
      if (!op) continue;
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${p} has no operationId (run npm run lint:spec)`);
      const tag = op.tags?.[0];
      if (!tag) throw new Error(`${op.operationId} has no tag (run npm run lint:spec)`);
      const permission = op["x-permission"];
      if (!permission) throw new Error(`${op.operationId} has no x-permission (run npm run lint:spec)`);
      ops.push({ operationId: op.operationId, method: method.toUpperCase(), path: p, tag, permission });
    }
  }
  const seen = new Set<string>();
  for (const op of ops) {
    if (seen.has(op.operationId)) throw new Error(`duplicate operationId "${op.operationId}" (run npm run lint:spec)`);
    seen.add(op.operationId);
  }
  // Plain code-unit order, independent of the locale.
  return ops.sort((a, b) => (a.operationId < b.operationId ? -1 : a.operationId > b.operationId ? 1 : 0));
}

function renderOperationIds(ops: OperationInfo[]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines: string[] = [BANNER];
  lines.push("/** Every operationId in the spec, sorted. */");
  lines.push("export const operationIds = [");
  for (const op of ops) lines.push(`  ${q(op.operationId)},`);
  lines.push("] as const;");
  lines.push("");
  lines.push("export type OperationId = (typeof operationIds)[number];");
  lines.push("");
  lines.push("/** The (single) tag of each operation. */");
  lines.push("export const operationTags: Record<OperationId, string> = {");
  for (const op of ops) lines.push(`  ${op.operationId}: ${q(op.tag)},`);
  lines.push("};");
  lines.push("");
  lines.push("/** HTTP method and path template of each operation. */");
  lines.push("export const operationRoutes: Record<OperationId, { method: string; path: string }> = {");
  for (const op of ops) lines.push(`  ${op.operationId}: { method: ${q(op.method)}, path: ${q(op.path)} },`);
  lines.push("};");
  lines.push("");
  lines.push('/** The permission each operation needs (its `x-permission`: "resource:action", or "public"). */');
  lines.push("export const operationPermissions: Record<OperationId, string> = {");
  for (const op of ops) lines.push(`  ${op.operationId}: ${q(op.permission)},`);
  lines.push("};");
  lines.push("");
  return lines.join("\n");
}

async function renderOpenapiTypes(doc: unknown): Promise<string> {
  // The bundled document, not the root file: its $refs are the internal #/components/... ones.
  const ast = await openapiTS(structuredClone(doc) as OpenAPI3, {
    silent: true,
    // Free-form objects in the spec say `additionalProperties: true` explicitly;
    // this keeps any that do not from becoming Record<string, never>.
    emptyObjectsUnknown: true,
    // Nothing applies schema defaults to requests, so a field with a default is
    // still optional for the handler (e.g. `limit?: number`).
    defaultNonNullable: false,
  });
  const body = astToString(ast).replace(/\r\n/g, "\n");
  return `${BANNER}\n${body.endsWith("\n") ? body : `${body}\n`}`;
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const doc = await bundleSpec();
  const files: Record<string, string> = {
    "openapi.ts": await renderOpenapiTypes(doc),
    "operation-ids.ts": renderOperationIds(collectOperations(doc)),
  };

  if (check) {
    const stale: string[] = [];
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(OUT_DIR, name);
      if (!existsSync(file)) stale.push(`generated/${name} (missing)`);
      else if (readFileSync(file, "utf8") !== content) stale.push(`generated/${name} (differs)`);
    }
    if (stale.length > 0) {
      console.error(`generated/ is stale: run npm run generate\n  ${stale.join("\n  ")}`);
      return 1;
    }
    console.log("generated/ is up to date");
    return 0;
  }

  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(OUT_DIR, name);
    const old = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (old === content) {
      console.log(`unchanged generated/${name}`);
      continue;
    }
    writeFileSync(file, content);
    console.log(`wrote generated/${name}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
