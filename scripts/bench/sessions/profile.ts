/**
 * `npm run bench -- --profile <figure>`: Threadgate alone under one figure's load
 * (wait | stream | get | custom | streams) with `node --cpu-prof`; one profile per
 * thread, summarised (self time by package/file and by function) with folded
 * stacks for a flame graph, in scripts/bench/tmp/prof/.
 */
import fs from "node:fs";
import path from "node:path";
import { CONCURRENCY, cfg, option, say, workDir } from "../config.ts";
import { customEventsRate, getRps, sampleRun, streamLatency, waitThroughput } from "../lib/load.ts";
import { openStreamsFigure } from "./open-streams.ts";
import { summarizeProfile } from "../lib/profile.ts";
import { BENCH_DIR, ROOT, startThreadgate } from "../lib/servers.ts";
import { fmt, percentile } from "../lib/stats.ts";

export async function profile(figure: string): Promise<void> {
  const dir = path.join(BENCH_DIR, "tmp", "prof", `${figure}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  say(`profiling Threadgate under "${figure}" (node --cpu-prof) into ${path.relative(ROOT, dir)}`);
  const server = await startThreadgate({ workDir, cpuProfDir: dir });
  try {
    const seconds = Number(option("seconds") ?? 10);
    if (figure === "wait")
      say(`runs/wait ${fmt((await waitThroughput(server.url, seconds, CONCURRENCY)).perSecond)}/s`);
    else if (figure === "stream") {
      const s = await streamLatency(server.url, seconds, CONCURRENCY);
      say(`first event p99 ${fmt(percentile(s.first, 99))} ms, last p99 ${fmt(percentile(s.last, 99))} ms`);
    } else if (figure === "get") {
      const sample = await sampleRun(server.url);
      say(`GET run ${fmt((await getRps(server.url, sample.route, seconds, CONCURRENCY)).perSecond)} req/s`);
    } else if (figure === "custom") {
      for (let i = 0; i < 5; i++)
        say(`custom events ${fmt((await customEventsRate(server.url, cfg.customEvents)).perSecond)}/s`);
    } else if (figure === "streams") {
      const fig = await openStreamsFigure(server);
      say(`complete ${fig.complete}/${fig.streams}, peak RSS ${fmt(fig.peakRssMiB)} MiB`);
    } else throw new Error(`unknown figure "${figure}" (wait | stream | get | custom | streams)`);
  } finally {
    await server.stop();
  }
  // One profile per thread: CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile, thread 0 the main thread;
  // graph workers and the loader-hooks threads tsx starts have their own.
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error("no .cpuprofile was written (did the server exit cleanly on SIGTERM?)");
  const lines: string[] = [];
  for (const file of files.sort((a, b) => threadOf(a) - threadOf(b))) {
    const summary = summarizeProfile(path.join(dir, file), 30);
    const idle = summary.topPlaces.find((p) => p.place === "((idle))")?.selfPct ?? 0;
    if (idle > 95) {
      lines.push(
        `thread ${threadOf(file)}: ${fmt(idle)}% idle (a loader-hooks thread, or a worker this figure leaves idle), not summarised`,
        "",
      );
      continue;
    }
    const folded = path.join(dir, `profile-thread-${threadOf(file)}.folded`);
    fs.writeFileSync(folded, summary.folded);
    lines.push(
      `thread ${threadOf(file)}${threadOf(file) === 0 ? " (main)" : ""}: ${path.relative(ROOT, path.join(dir, file))} (${fmt(summary.totalMs / 1000)} s, ${fmt(100 - idle)}% busy); folded stacks: ${path.relative(ROOT, folded)}`,
      "",
      "self time by package/file:",
      ...summary.topPlaces.map((p) => `  ${p.selfPct.toFixed(1).padStart(5)}%  ${p.place}`),
      "",
      "self time by function:",
      ...summary.topFunctions.map((f) => `  ${f.selfPct.toFixed(1).padStart(5)}%  ${f.name}`),
      "",
    );
  }
  fs.writeFileSync(path.join(dir, "summary.txt"), lines.join("\n") + "\n");
  console.log(lines.join("\n"));
}

function threadOf(profileFile: string): number {
  return Number(profileFile.split(".").at(-3));
}
