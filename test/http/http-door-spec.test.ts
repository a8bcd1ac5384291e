/**
 * The spec bounds every number: `npm run lint:spec` fails when an integer or number schema lacks a
 * minimum or a maximum, so a new operation cannot let a huge or infinite number through to SQLite or
 * a timer.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkNumberBounds } from "../../scripts/lint-spec.ts";
import { bundleSpec, SPEC_PATH } from "../../src/http/spec-document.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

describe("every number in the spec is bounded", () => {
  it("the real spec has no integer or number without a minimum and a maximum", async () => {
    expect(checkNumberBounds(await bundleSpec())).toEqual([]);
  });

  it("names each unbounded number: parameters, nested properties, array items, nullable types", () => {
    const doc = {
      paths: {
        "/things": {
          get: {
            parameters: [{ name: "offset", in: "query", schema: { type: "integer", minimum: 0 } }],
            responses: {},
          },
        },
      },
      components: {
        schemas: {
          Thing: {
            type: "object",
            properties: {
              delay: { type: ["number", "null"], maximum: 10 },
              sizes: { type: "array", items: { type: "integer", minimum: 0, maximum: 5 } },
              scores: { type: "array", items: { type: "number" } },
              fine: { type: "integer", minimum: 0, exclusiveMaximum: 100 },
              name: { type: "string" },
            },
          },
        },
      },
    };
    expect(checkNumberBounds(doc)).toEqual([
      "#/paths/~1things/get/parameters/0/schema: integer without a maximum",
      "#/components/schemas/Thing/properties/delay: number without a minimum",
      "#/components/schemas/Thing/properties/scores/items: number without a minimum or a maximum",
    ]);
  });

  const tmp = mkdtempSync(path.join(tmpdir(), "threadgate-door-spec-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("npm run lint:spec fails on a copy of the spec with a maximum removed", async () => {
    // A copy of spec/ with ThreadSearchRequest.offset's maximum removed.
    const [schemas, indent] = ["components/schemas/threads.yaml", " ".repeat(6)];
    const kept = `${indent}default: 0\n${indent}description: Number of threads to skip.\n`;
    const needle = `${indent}maximum: 9007199254740991\n${kept}`;
    const dir = path.join(tmp, "unbounded");
    cpSync(path.dirname(SPEC_PATH), dir, { recursive: true });
    const text = readFileSync(path.join(dir, schemas), "utf8");
    expect(text.split(needle)).toHaveLength(2);
    writeFileSync(path.join(dir, schemas), text.replace(needle, kept));
    const file = path.join(dir, path.basename(SPEC_PATH));
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        TSX,
        [path.join(ROOT, "scripts", "lint-spec.ts"), file],
        { cwd: ROOT, encoding: "utf8", timeout: 55_000 },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      "#/components/schemas/ThreadSearchRequest/properties/offset: integer without a maximum",
    );
  }, 60_000);
});
