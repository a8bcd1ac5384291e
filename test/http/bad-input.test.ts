/**
 * Spec-driven bad input (issue 12 item 24). Every operation of spec/openapi.yaml gets a valid base
 * request (a real thread with a finished run of the quick `echo` graph, that run, a checkpoint of it)
 * and then bad ones derived from its own schemas (spec-requests.ts, spec-mutations.ts) and drawn by
 * fast-check (spec-random.ts): wrong types, missing required fields, unknown enums, over-long strings,
 * deep JSON, bad UUIDs, out-of-range numbers, other media types, invalid JSON, huge arrays. For every
 * answer: never a 5xx; every 4xx is the JSON error envelope, and small; what the contract forbids is
 * refused; a refused request changes no row of either SQLite file; an accepted one stores no id in an
 * odd spelling and leaves no thread busy; and the server still stops afterwards. A new operation is
 * covered without editing this file.
 *
 * Replay: BAD_INPUT_SEED=<n> (printed on failure), BAD_INPUT_ONLY=<operationId,…>,
 * BAD_INPUT_CASES=<from>-<to> (case indexes per operation), BAD_INPUT_TRACE=1 (one line per request);
 * BAD_INPUT_PER_OP=<n> sends more per operation than the default.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { loadSpecModel, type BuildOptions, type SpecModel } from "../helpers/spec-model.ts";
import { baseRequest, systematicCases } from "../helpers/spec-requests.ts";
import { randomCases, selectCases } from "../helpers/spec-random.ts";
import { FIXTURE_NAMES } from "../helpers/bad-input-fixtures.ts";
import { BadInputRun } from "../helpers/bad-input-run.ts";
import { formatReport, formatTally, groupFindings } from "../helpers/bad-input-report.ts";

const SEED = Number(process.env.BAD_INPUT_SEED ?? 20_241_224);
const MIN_TOTAL = 2_000;
/** A quarter of each operation's requests are fast-check's draws, the rest from the schema walk. */
const RANDOM_SHARE = 0.25;
const ONLY = process.env.BAD_INPUT_ONLY?.split(",").filter(Boolean);
const RANGE = process.env.BAD_INPUT_CASES?.split("-").map((n) => (n === "" ? undefined : Number(n)));

/** A stable seed per operation, so adding one does not change what the others send. */
function seedOf(operationId: string): number {
  let h = SEED | 0;
  for (const ch of operationId) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

let server: TestServer;
let model: SpecModel;

beforeAll(async () => {
  // Graphs in a worker (the default; vitest.config.ts runs this file in that project only). Webhook URLs
  // a bad request may carry get one quick try, not the default retries.
  server = await startTestServer({ graphWorkers: 1, webhookRetries: 0, webhookTimeoutMs: 1_000 });
  model = await loadSpecModel();
});
afterAll(async () => {
  await server?.close();
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
      await run.start();
      for (const op of operations) {
        // The base: required parts only, else also the optional fields named after a fixture.
        const candidates = [baseRequest(op, build(false)), baseRequest(op, build(true))];
        const { base, answers } = await run.calibrate(op, candidates);
        if (answers.length)
          noBase.push(`${op.operationId}: no base request the server accepts\n    ${answers.join("\n    ")}`);
        const seed = seedOf(op.operationId);
        const systematic = selectCases(systematicCases(op, build(false)), Math.ceil(perOp * (1 - RANDOM_SHARE)), seed);
        const cases = [...systematic, ...randomCases(op, build(false), seed, perOp - systematic.length)];
        for (const c of RANGE ? cases.slice(...RANGE) : cases) await run.run(op, base, c);
      }
    } finally {
      run.close();
    }
    // What the bad requests did to the server shows last too: it must still stop.
    await run.checkStops(15_000);

    const groups = groupFindings(run.findings);
    const report = formatReport(groups);
    console.log(`bad input, seed ${SEED} (BAD_INPUT_SEED replays it)\n${formatTally(run.tally, run.overhead)}`);
    if (report) console.log(`${groups.length} failure classes, ${run.findings.length} failing requests:\n${report}`);
    expect(noBase).toEqual([]);
    expect(
      groups.map((g) => g.key),
      `failure classes (an example of each is printed above); seed ${SEED}, replay with BAD_INPUT_SEED=${SEED}`,
    ).toEqual([]);

    // It cannot pass by testing nothing: every operation got its bad requests, most were refused.
    expect([...run.tally.keys()].sort()).toEqual(operations.map((op) => op.operationId).sort());
    const tallies = [...run.tally.values()];
    const sent = tallies.reduce((n, t) => n + t.sent, 0);
    const rejected = tallies.reduce((n, t) => n + t.rejected, 0);
    if (!ONLY && !RANGE) expect(sent).toBeGreaterThanOrEqual(MIN_TOTAL);
    for (const op of operations) {
      const t = run.tally.get(op.operationId)!;
      if (!RANGE) expect(t.sent, op.operationId).toBeGreaterThanOrEqual(perOp);
      if (!RANGE && (op.parameters.length || op.body)) expect(t.rejected, op.operationId).toBeGreaterThan(0);
    }
    expect(rejected / sent).toBeGreaterThan(0.5);
  }, 300_000);
});
