/**
 * The lint:spec script (scripts/lint-spec.ts) itself: it passes on the real spec, and on broken copies of it
 * fails naming what is wrong.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SPEC_PATH } from "../../src/http/spec-document.ts";
import { ROOT, run } from "./spec-scripts.ts";

const SPEC_DIR = path.dirname(SPEC_PATH);

// Each test runs the linter as a process of its own (~13 s on this machine beside the rest of the suite):
// the time limit guards against a hang, it measures nothing.
describe("npm run lint:spec", { timeout: 120_000 }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "threadgate-spec-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const lint = (file: string) => run([path.join(ROOT, "scripts", "lint-spec.ts"), file]);
  /** The spec file (under spec/) that holds the runs operations. */
  const RUNS_PATHS = "paths/runs.yaml";

  /** Copies spec/ to `name` with one line of one of its files replaced; returns the copy's root file. */
  function copySpecWith(name: string, file: string, line: string, replacement: string): string {
    const dir = path.join(tmp, name);
    cpSync(SPEC_DIR, dir, { recursive: true });
    const text = readFileSync(path.join(dir, file), "utf8");
    expect(text.split(line), `${file} has "${line.trim()}" once`).toHaveLength(2);
    writeFileSync(path.join(dir, file), text.replace(line, replacement));
    return path.join(dir, path.basename(SPEC_PATH));
  }

  /** Writes a copy of the spec where waitRun's operationId is replaced. */
  const copyWithWaitRunId = (name: string, newId: string) =>
    copySpecWith(name, RUNS_PATHS, "operationId: waitRun\n", `operationId: ${newId}\n`);

  /** The output line matching `re` that names both operations sharing the id. */
  function problemLine(output: string, re: RegExp): string | undefined {
    return output
      .split("\n")
      .find(
        (l) =>
          re.test(l) &&
          l.includes("GET /threads/{thread_id}/runs/{run_id}") &&
          l.includes("POST /threads/{thread_id}/runs/wait"),
      );
  }

  it.concurrent(
    "passes on the real spec",
    async () => {
      const r = await lint(SPEC_PATH);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/lint:spec OK/);
    },
    60_000,
  );

  it.concurrent(
    "fails on a copy with a duplicated operationId, naming both operations",
    async () => {
      const r = await lint(copyWithWaitRunId("dup.yaml", "getRun"));
      expect(r.code).not.toBe(0);
      expect(problemLine(r.output, /duplicate operationId "getRun"/), r.output).toBeDefined();
    },
    60_000,
  );

  it.concurrent(
    "fails on a copy with an operationId duplicated only in case, naming both operations",
    async () => {
      const r = await lint(copyWithWaitRunId("dup-case.yaml", "getrun"));
      expect(r.code).not.toBe(0);
      const line = problemLine(r.output, /duplicate operationId \(case-insensitive\)/);
      expect(line, r.output).toBeDefined();
      expect(line).toContain('"getRun"');
      expect(line).toContain('"getrun"');
    },
    60_000,
  );

  /** The spec's lines declaring waitRun's operationId and its permission. */
  const WAIT_RUN = "    operationId: waitRun\n    x-permission: runs:create\n";

  /** The output line where Spectral's operation-permission rule names waitRun's operation. */
  const permissionProblem = (output: string) =>
    output.split("\n").find((l) => l.includes("operation-permission") && /paths\/runs\.yaml:\d+/.test(l));

  it.concurrent(
    "fails on a copy with an operation that declares no x-permission (deny by default), naming its file and line",
    async () => {
      const r = await lint(copySpecWith("no-permission", RUNS_PATHS, WAIT_RUN, "    operationId: waitRun\n"));
      expect(r.code).not.toBe(0);
      expect(permissionProblem(r.output), r.output).toBeDefined();
    },
    60_000,
  );

  it.concurrent(
    "fails on a copy with an x-permission that is not resource:action",
    async () => {
      const bad = "    operationId: waitRun\n    x-permission: runs\n";
      const r = await lint(copySpecWith("bad-permission", RUNS_PATHS, WAIT_RUN, bad));
      expect(r.code).not.toBe(0);
      expect(permissionProblem(r.output), r.output).toBeDefined();
    },
    60_000,
  );

  it.concurrent(
    "fails on a copy where a public operation does not say security: [], or an operation needing a permission opts out",
    async () => {
      const ok = "    operationId: getOk\n    x-permission: public\n    security: []\n";
      const noneSaid = await lint(
        copySpecWith("public-security", "paths/system.yaml", ok, ok.replace("    security: []\n", "")),
      );
      expect(noneSaid.code).not.toBe(0);
      expect(noneSaid.output).toMatch(/public-operation-security/);
      const optOut = await lint(
        copySpecWith("secured-security", RUNS_PATHS, WAIT_RUN, `${WAIT_RUN}    security: []\n`),
      );
      expect(optOut.code).not.toBe(0);
      expect(optOut.output).toMatch(/secured-operation-security/);
    },
    60_000,
  );

  it.concurrent(
    "fails on a copy whose root does not list a component another file refers to, naming that $ref",
    async () => {
      const listed = "    ThreadTokenUsage:\n      $ref: './components/schemas/audit.yaml#/ThreadTokenUsage'\n";
      const r = await lint(copySpecWith("unlisted", "openapi.yaml", listed, ""));
      expect(r.code).not.toBe(0);
      const line = r.output.split("\n").find((l) => l.includes("is not a component"));
      expect(line, r.output).toMatch(
        /paths\/audit\.yaml:\d+: \$ref '\.\.\/components\/schemas\/audit\.yaml#\/ThreadTokenUsage' is not a component/,
      );
    },
    60_000,
  );

  it.concurrent(
    "fails on a split spec with one operationId in two files, naming both operations and their files",
    async () => {
      const dir = path.join(tmp, "split-dup");
      mkdirSync(path.join(dir, "paths"), { recursive: true });
      const root = path.join(dir, "openapi.yaml");
      writeFileSync(
        root,
        [
          "openapi: 3.1.0",
          "info:",
          "  title: Two path files",
          "  version: 0.0.0",
          "paths:",
          "  /alpha:",
          "    $ref: './paths/alpha.yaml#/~1alpha'",
          "  /beta/{beta_id}:",
          "    $ref: './paths/beta.yaml#/~1beta~1{beta_id}'",
          "",
        ].join("\n"),
      );
      const pathItem = (p: string, method: string) =>
        [
          `${p}:`,
          `  ${method}:`,
          "    operationId: sameOperation",
          "    responses:",
          "      '200':",
          "        description: OK.",
          "",
        ].join("\n");
      writeFileSync(path.join(dir, "paths", "alpha.yaml"), pathItem("/alpha", "get"));
      writeFileSync(path.join(dir, "paths", "beta.yaml"), pathItem("/beta/{beta_id}", "post"));

      const r = await lint(root);
      expect(r.code).not.toBe(0);
      const line = r.output.split("\n").find((l) => l.includes('duplicate operationId "sameOperation"'));
      expect(line, r.output).toBeDefined();
      // Each operation by method and path, then the file and line of its method key.
      expect(line).toContain(`GET /alpha (${path.join(dir, "paths", "alpha.yaml")}:2)`);
      expect(line).toContain(`POST /beta/{beta_id} (${path.join(dir, "paths", "beta.yaml")}:2)`);
    },
    60_000,
  );
});
