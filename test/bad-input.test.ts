/**
 * Spec-driven bad input (issue 12 item 24). Every operation of spec/openapi.yaml gets a valid base
 * request (real thread, run, checkpoint; the quick `echo` graph) and then bad ones derived from its own
 * schemas (spec-requests.ts) plus random ones drawn by fast-check (spec-random.ts): wrong types,
 * missing required fields, unknown enums, over-long strings, deep JSON, bad UUIDs, out-of-range numbers,
 * other media types, invalid JSON, huge arrays. Every answer: never a 5xx; every 4xx the JSON error
 * envelope, small; what the contract forbids refused; a refused request changes no row of either SQLite
 * file; an accepted one stores no id in an odd spelling and leaves no thread busy. A new operation is
 * covered without editing this file.
 *
 * Replay: BAD_INPUT_SEED=<seed> (printed on failure); BAD_INPUT_PER_OP=<n> sends more per operation;
 * BAD_INPUT_ONLY=<operationId,…> limits the run to some operations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { loadSpecModel, type BuildOptions, type SpecModel } from "./helpers/spec-model.ts";
import { baseRequest, systematicCases } from "./helpers/spec-requests.ts";
import { randomCases, selectCases } from "./helpers/spec-random.ts";
import { FIXTURE_NAMES } from "./helpers/bad-input-fixtures.ts";
import { BadInputRun, formatTally, groupFindings } from "./helpers/bad-input-run.ts";

const SEED = Number(process.env.BAD_INPUT_SEED ?? 20_241_224);
const MIN_TOTAL = 2_000;
const ONLY = process.env.BAD_INPUT_ONLY?.split(",").filter(Boolean);
/** BAD_INPUT_CASES=<from>-<to>: only those cases (by index) of each operation, to replay one. */
const RANGE = (process.env.BAD_INPUT_CASES ?? "0-").split("-").map((n) => (n === "" ? undefined : Number(n)));

/** A stable seed per operation, so adding one does not change what the others send. */
function seedOf(operationId: string): number {
  let h = SEED | 0;
  for (const ch of operationId) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

let server: TestServer;
let model: SpecModel;

beforeAll(async () => {
  // Webhook URLs a bad request may carry get one quick try, not the default retries.
  server = await startTestServer({ webhookRetries: 0, webhookTimeoutMs: 1_000 });
  model = await loadSpecModel();
});
afterAll(async () => {
  const t = Date.now();
  await server?.close();
  if (process.env.BAD_INPUT_TRACE) console.log(`closed in ${Date.now() - t} ms`);
});

describe("spec-driven bad input", () => {
  it("answers every bad request with a 4xx JSON envelope and never a 5xx, and a refused request changes no row", async () => {
    const operations = model.operations.filter((op) => !ONLY || ONLY.includes(op.operationId));
    const perOp = Math.max(
      Number(process.env.BAD_INPUT_PER_OP ?? 0),
      Math.ceil(MIN_TOTAL / model.operations.length) + 3,
    );
    const [unknownUuid] = fc.sample(fc.uuid({ version: 4 }), { seed: SEED, numRuns: 1 });
    let uuids = 0;
    const build = (withOptionalFixtures: boolean): BuildOptions => ({
      fixtureNames: FIXTURE_NAMES,
      withOptionalFixtures,
      newUuid: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, "0")}`,
    });

    const run = new BadInputRun(server, model, unknownUuid);
    const noBase: string[] = [];
    try {
      const ts = Date.now();
      await run.start();
      if (process.env.BAD_INPUT_TRACE) console.log(`start in ${Date.now() - ts} ms`);
      for (const op of operations) {
        const t0 = Date.now();
        // The base: required parts only, else also the optional fields that name a fixture.
        const { base, answers } = await run.calibrate(op, [
          baseRequest(op, build(false)),
          baseRequest(op, build(true)),
        ]);
        if (answers.length) noBase.push(`${op.operationId}: no valid base request\n    ${answers.join("\n    ")}`);
        const seed = seedOf(op.operationId);
        const systematic = selectCases(systematicCases(op, build(false)), Math.ceil(perOp * 0.75), seed);
        const cases = [...systematic, ...randomCases(op, build(false), seed, perOp - systematic.length)].slice(
          ...RANGE,
        );
        const t1 = Date.now();
        for (const c of cases) await run.run(op, base, c);
        if (process.env.BAD_INPUT_TRACE)
          console.log(`${op.operationId}: prepared in ${t1 - t0} ms, sent in ${Date.now() - t1} ms`);
      }
    } finally {
      run.close();
    }

    if (process.env.BAD_INPUT_TRACE) console.log(`loop done at ${new Date().toISOString()}`);
    // What the bad requests did to the server shows last: it must still stop.
    const stopped = await Promise.race([
      server.stop().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 30_000).unref()),
    ]);
    if (!stopped) {
      run.findings.push({
        operationId: "(server)",
        problem: "server did not stop within 30 s after the bad requests",
        kind: "shutdown",
        where: "",
        request: "RunningServer.close()",
        answer: "still closing (a run or worker the bad requests left behind?)",
        size: 0,
      });
    }
    const groups = groupFindings(run.findings);
    const report = groups
      .map(
        (g) =>
          `✖ ${g.key} — ${g.count}× at ${g.wheres.slice(0, 6).join(", ")}${g.wheres.length > 6 ? ", …" : ""}\n` +
          `    e.g. ${g.example.request}\n      → ${g.example.answer}`,
      )
      .join("\n");
    const tally = formatTally(run.tally);
    console.log(
      `bad input, seed ${SEED} (BAD_INPUT_SEED to replay), fixtures made ${run.remadeFixtures}×, overhead ms ${JSON.stringify(run.overhead)}\n${tally}`,
    );
    if (report) console.log(`${groups.length} failure classes, ${run.findings.length} failing requests:\n${report}`);

    expect(noBase, "every operation needs a base request the server accepts").toEqual([]);
    expect(
      groups.map((g) => g.key),
      `seed ${SEED}; replay with BAD_INPUT_SEED=${SEED}\n${report}`,
    ).toEqual([]);

    // The test cannot pass by testing nothing.
    const tallies = [...run.tally.entries()];
    expect(tallies.map(([op]) => op).sort()).toEqual(operations.map((op) => op.operationId).sort());
    const sent = tallies.reduce((n, [, t]) => n + t.sent, 0);
    const rejected = tallies.reduce((n, [, t]) => n + t.rejected, 0);
    if (!ONLY) expect(sent).toBeGreaterThanOrEqual(MIN_TOTAL);
    for (const op of operations) {
      const t = run.tally.get(op.operationId)!;
      expect(t.sent, op.operationId).toBeGreaterThanOrEqual(perOp);
      if (op.parameters.length || op.body) expect(t.forbidden, op.operationId).toBeGreaterThan(0);
    }
    expect(rejected / sent).toBeGreaterThan(0.5);
  }, 600_000);
});
