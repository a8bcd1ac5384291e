/**
 * One session per server per round, on a fresh server process: a JIT warm-up,
 * then runs/wait, runs/stream, GET a run and custom events, each with the
 * server's CPU time per operation (utime + stime of every process of the server,
 * which counts every thread; see lib/servers.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { CONCURRENCY, cfg, fail, say, TITLE, workDir, type Side } from "../config.ts";
import { measured, type Round } from "../measurements.ts";
import { customEventsRate, getRps, sampleRun, streamLatency, summarize, waitThroughput } from "../lib/load.ts";
import { startLangGraphJs, startThreadgate, type ServerHandle } from "../lib/servers.ts";
import { fmt } from "../lib/stats.ts";

export async function startServer(side: Side, cpuProfDir?: string): Promise<ServerHandle> {
  return side === "threadgate" ? startThreadgate({ workDir, cpuProfDir }) : startLangGraphJs({ workDir });
}

export async function serverRound(side: Side, round: number): Promise<void> {
  say(`round ${round + 1}: ${TITLE[side]}`);
  let server: ServerHandle;
  try {
    server = await startServer(side);
  } catch (err) {
    fail(side, `did not start: ${(err as Error).message}`);
    measured.rounds[side].push({ cpuMs: {} });
    return;
  }
  const r: Round = { cpuMs: {} };
  /** Runs one figure and records the server's CPU time per operation. */
  const timed = async <T>(key: keyof Round["cpuMs"], work: () => Promise<T>, ops: (result: T) => number) => {
    const before = server.cpuSeconds();
    const result = await work();
    const n = ops(result);
    if (n > 0) r.cpuMs[key] = ((server.cpuSeconds() - before) * 1000) / n;
    return result;
  };
  try {
    if (cfg.warmupSeconds > 0) {
      await waitThroughput(server.url, cfg.warmupSeconds, CONCURRENCY);
      await streamLatency(server.url, cfg.warmupSeconds / 2, CONCURRENCY);
      await customEventsRate(server.url, Math.min(2_000, cfg.customEvents));
    }

    r.wait = await timed(
      "wait",
      () => waitThroughput(server.url, cfg.seconds, CONCURRENCY),
      (f) => f.completed,
    );
    say(
      `  runs/wait: ${fmt(r.wait.perSecond)}/s (${r.wait.completed} runs, ${r.wait.failures} failures), ` +
        `server CPU ${fmt(r.cpuMs.wait ?? NaN)} ms/run`,
    );
    if (r.wait.completed === 0 || r.wait.failures)
      fail(side, `runs/wait: ${r.wait.failures} failures, first: ${r.wait.firstFailure}`);

    r.stream = await timed(
      "stream",
      () => streamLatency(server.url, cfg.seconds, CONCURRENCY),
      (f) => f.completed,
    );
    const first = summarize(r.stream.first);
    say(
      `  runs/stream: first event p50 ${fmt(first.p50)} ms p99 ${fmt(first.p99)} ms (${r.stream.completed} streams, ${r.stream.failures} failures)`,
    );
    if (r.stream.completed === 0 || r.stream.failures)
      fail(side, `runs/stream: ${r.stream.failures} failures, first: ${r.stream.firstFailure}`);

    const sample = await sampleRun(server.url);
    if (side === "threadgate" && !measured.sampleRun) {
      const bodyFile = path.join(workDir, "run.json");
      fs.writeFileSync(bodyFile, sample.body);
      measured.sampleRun = { route: sample.route, bodyFile };
    }
    if (cfg.warmupSeconds > 0) await getRps(server.url, sample.route, cfg.warmupSeconds / 3, CONCURRENCY);
    r.get = await timed(
      "get",
      () => getRps(server.url, sample.route, cfg.seconds, CONCURRENCY),
      (f) => f.total,
    );
    say(`  GET run: ${fmt(r.get.perSecond)} req/s (${r.get.failures} failures)`);
    if (r.get.total === 0 || r.get.failures) fail(side, `GET run: ${r.get.failures} failures`);

    r.custom = await timed(
      "custom",
      () => customEventsRate(server.url, cfg.customEvents),
      (f) => f.received,
    );
    say(`  custom events: ${fmt(r.custom.perSecond)} events/s (${r.custom.received}/${r.custom.expected})`);
    if (r.custom.problem) fail(side, `custom events: ${r.custom.problem}`);
  } catch (err) {
    fail(side, `${(err as Error).message}\n${server.logTail(20)}`);
  } finally {
    measured.rounds[side].push(r);
    await server.stop();
  }
}
