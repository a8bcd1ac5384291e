/**
 * The two ceilings, measured in every round right after the servers' sessions
 * so that each ratio compares figures of the same minutes:
 * - in process: inprocess.ts invokes the echo graph with the same SQLite
 *   checkpointer (invocations/s, and CPU per invocation from process.cpuUsage());
 * - bare Koa: ceiling-koa.ts answers GET with the run JSON Threadgate returned
 *   (req/s, and the process's CPU per request from /proc).
 */
import { CONCURRENCY, cfg, fail, say, workDir } from "../config.ts";
import { measured, type CeilingRound } from "../measurements.ts";
import { getRps } from "../lib/load.ts";
import { runJsonChild, startKoaCeiling, type ServerHandle } from "../lib/servers.ts";
import { fmt } from "../lib/stats.ts";

export async function ceilings(round: number): Promise<void> {
  const c: CeilingRound = {};
  measured.ceilings[round] = c;
  say(`round ${round + 1}: in-process ceiling`);
  try {
    const res = await runJsonChild<{ perSecond: number; invocations: number; cpuMsPerInvocation: number }>(
      "inprocess.ts",
      {
        BENCH_SECONDS: String(cfg.seconds),
        BENCH_WARMUP_SECONDS: String(cfg.warmupSeconds),
        BENCH_CONCURRENCY: String(CONCURRENCY),
        BENCH_DB_DIR: workDir,
      },
      120_000,
    );
    c.inProcess = { perSecond: res.perSecond, cpuMs: res.cpuMsPerInvocation };
    say(`  in-process: ${fmt(res.perSecond)} invocations/s, CPU ${fmt(res.cpuMsPerInvocation)} ms/invocation`);
  } catch (err) {
    fail("in-process", (err as Error).message);
  }
  const sample = measured.sampleRun;
  if (!sample) return;
  say(`round ${round + 1}: bare Koa ceiling`);
  let koa: ServerHandle | undefined;
  try {
    koa = await startKoaCeiling({ workDir, bodyFile: sample.bodyFile });
    if (cfg.warmupSeconds > 0) await getRps(koa.url, sample.route, cfg.warmupSeconds / 2, CONCURRENCY);
    const before = koa.cpuSeconds();
    const res = await getRps(koa.url, sample.route, cfg.seconds, CONCURRENCY);
    c.koa = { perSecond: res.perSecond, cpuMs: ((koa.cpuSeconds() - before) * 1000) / Math.max(1, res.total) };
    say(`  bare Koa: ${fmt(res.perSecond)} req/s`);
  } catch (err) {
    fail("koa-ceiling", (err as Error).message);
  } finally {
    await koa?.stop();
  }
}
