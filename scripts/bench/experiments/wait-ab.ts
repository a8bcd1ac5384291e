/**
 * A/B of the runs/wait figure between two checkouts of Threadgate, for judging
 * one change at a time: each round starts a fresh server from A and from B (the
 * order alternating), warms it up, then measures runs/s and the server's CPU
 * per run under the bench's load (16 loops of new thread + wait).
 *
 *   git worktree add /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/
 *   A=/tmp/base B=. npx tsx scripts/bench/experiments/wait-ab.ts
 *
 * Options (environment): ROUNDS (8), WARMUP seconds (12), SECONDS per measure (8);
 * A_ENV / B_ENV: settings for that side's server, e.g. B_ENV="THREADGATE_GRAPH_WORKERS=2"
 * (space-separated NAME=value; with A=B=. they compare two settings of one checkout).
 * Warm up as long as the bench does: with a 2 s warm-up, single changes of
 * 2026-11-25 showed +8% that the full bench did not; less code to warm up
 * looks like less code to run.
 *
 * 2026-11-25, 2 cores: session start (2bae045) vs the fourth pass: +2.1% runs/s, CPU per run 0.967×.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitThroughput } from "../lib/load.ts";
import { startThreadgate } from "../lib/servers.ts";
import { median } from "../lib/stats.ts";

const ROOTS = { A: path.resolve(process.env.A ?? "."), B: path.resolve(process.env.B ?? ".") };
const ROUNDS = Number(process.env.ROUNDS ?? 8);
const WARMUP = Number(process.env.WARMUP ?? 12);
const SECONDS = Number(process.env.SECONDS ?? 8);
const CONNECTIONS = 16;
const ENVS = { A: parseEnv(process.env.A_ENV), B: parseEnv(process.env.B_ENV) };
type Side = keyof typeof ROOTS;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "wait-ab-"));

const results: Record<Side, { perSecond: number[]; cpuMs: number[] }> = {
  A: { perSecond: [], cpuMs: [] },
  B: { perSecond: [], cpuMs: [] },
};
for (let round = 0; round < ROUNDS; round++) {
  const order: Side[] = round % 2 === 0 ? ["A", "B"] : ["B", "A"];
  for (const side of order) {
    const server = await startThreadgate({ workDir, root: ROOTS[side], env: ENVS[side] });
    await waitThroughput(server.url, WARMUP, CONNECTIONS);
    const cpuBefore = server.cpuSeconds();
    const figure = await waitThroughput(server.url, SECONDS, CONNECTIONS);
    const cpuMs = ((server.cpuSeconds() - cpuBefore) * 1000) / figure.completed;
    await server.stop();
    if (figure.failures) throw new Error(`${side}: ${figure.failures} failures, first: ${figure.firstFailure}`);
    results[side].perSecond.push(figure.perSecond);
    results[side].cpuMs.push(cpuMs);
    console.log(`round ${round + 1} ${side}: ${figure.perSecond.toFixed(1)} runs/s, ${cpuMs.toFixed(2)} ms CPU/run`);
  }
}
const rate = (side: Side) => median(results[side].perSecond);
const cpu = (side: Side) => median(results[side].cpuMs);
for (const side of ["A", "B"] as const) {
  console.log(
    `${side} (${ROOTS[side]} ${process.env[`${side}_ENV`] ?? ""}): median ${rate(side).toFixed(1)} runs/s, ${cpu(side).toFixed(2)} ms CPU/run`,
  );
}
console.log(`B/A: runs/s ${(rate("B") / rate("A")).toFixed(3)}, CPU per run ${(cpu("B") / cpu("A")).toFixed(3)}`);
fs.rmSync(workDir, { recursive: true, force: true });

function parseEnv(text: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (text ?? "").split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`not NAME=value: "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
