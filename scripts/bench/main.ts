/**
 * `npm run bench`: Threadgate side by side with the LangGraph.js API server
 * (`langgraphjs dev`, in memory), on the same graphs (scripts/bench/graphs), on
 * loopback, one server at a time, with the same load generators, in
 * alternating rounds. Prints one table (each figure for both servers and their
 * ratio, with the targets) and writes it to scripts/bench/results/ and README.md.
 *
 *   npm run bench                      # the full run (~8 min on 2 cores)
 *   npm run bench:smoke                # tiny counts: proves the harness end to end (< 2 min)
 *   npm run bench -- --profile wait    # Threadgate alone under one figure's load, with --cpu-prof
 *                                        (wait | stream | get | custom | streams); summary + folded stacks in scripts/bench/tmp/prof/
 *
 * Options: --rounds N, --seconds S, --streams N, --no-write (print only).
 * Exit status: non-zero when a server fails to start or answer, or a stream misses events.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import {
  ROOT,
  BENCH_DIR,
  LGJS_DIR,
  packageVersion,
  prepareLangGraphJs,
  runJsonChild,
  startKoaCeiling,
  startLangGraphJs,
  startThreadgate,
  type ServerHandle,
} from "./lib/servers.ts";
import {
  customEventsRate,
  getRps,
  openStreams,
  sampleRun,
  streamLatency,
  summarize,
  waitThroughput,
  type CustomEventsFigure,
  type OpenStreamsFigure,
  type RpsFigure,
  type StreamLatencyFigure,
  type WaitFigure,
} from "./lib/load.ts";
import { fmt, median, percentile, ratio } from "./lib/stats.ts";
import { eventFlood, type FloodFigure } from "./lib/flood.ts";
import { summarizeProfile } from "./lib/profile.ts";

/* ---------------------------------------------------------------- options */

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i !== -1 ? argv[i + 1] : undefined;
};
const smoke = flag("smoke");
const profileFigure = option("profile");

const CONCURRENCY = 16;
const cfg = {
  rounds: Number(option("rounds") ?? (smoke ? 1 : 3)),
  /** seconds per measured figure per round */
  seconds: Number(option("seconds") ?? (smoke ? 1 : 6)),
  /** JIT warm-up per session: both servers run TypeScript through tsx and LangChain's deep call paths, which take ~15 s of load to settle */
  warmupSeconds: smoke ? 0.5 : 6,
  customEvents: smoke ? 500 : 10_000,
  streams: Number(option("streams") ?? (smoke ? 50 : 5_000)),
  streamRuns: smoke ? 5 : 10,
  streamEvents: smoke ? 3 : 5,
  streamsTimeoutS: smoke ? 60 : 150,
  /** the event flood: runs at once, custom events per run, bytes per event */
  floodRuns: smoke ? 2 : 10,
  floodEvents: smoke ? 2_000 : 100_000,
  floodBytes: 1_024,
  write: !smoke && !flag("no-write") && !profileFigure,
};

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-bench-"));
const say = (line: string) => console.log(`[bench] ${line}`);

type Side = "threadgate" | "langgraphjs";
const SIDES: Side[] = ["threadgate", "langgraphjs"];
const TITLE: Record<Side, string> = { threadgate: "Threadgate", langgraphjs: "LangGraph.js API" };

interface Round {
  wait?: WaitFigure;
  stream?: StreamLatencyFigure;
  get?: RpsFigure;
  custom?: CustomEventsFigure;
  /** CPU milliseconds the server process spent per operation of each figure (less noisy than rates on a shared machine) */
  cpuMs: { wait?: number; stream?: number; get?: number; custom?: number };
}

const rounds: Record<Side, Round[]> = { threadgate: [], langgraphjs: [] };
const inProcess: number[] = [];
const inProcessCpuMs: number[] = [];
const koaCeiling: RpsFigure[] = [];
const koaCeilingCpuMs: number[] = [];
const streamsFigure: Partial<Record<Side, OpenStreamsFigure>> = {};
let floodFigure: FloodFigure | undefined;
let floodFloor: { rssBeforeMiB: number; peakRssMiB: number; growthMiB: number } | undefined;
/** Harness failures: a server that did not start/answer, a stream that missed events. */
const failures: { side: string; what: string; fatal: boolean }[] = [];
const fail = (side: string, what: string, fatal = true) => {
  failures.push({ side, what, fatal });
  say(`FAILED ${side}: ${what}`);
};

async function start(side: Side, cpuProfDir?: string): Promise<ServerHandle> {
  return side === "threadgate" ? startThreadgate({ workDir, cpuProfDir }) : startLangGraphJs({ workDir });
}

/* ---------------------------------------------------------------- one session per server per round */

let ceilingBodyFile: string | undefined;
let ceilingRoute: string | undefined;

async function session(side: Side, round: number): Promise<void> {
  say(`round ${round + 1}: ${TITLE[side]}`);
  let server: ServerHandle;
  try {
    server = await start(side);
  } catch (err) {
    fail(side, `did not start: ${(err as Error).message}`);
    rounds[side].push({ cpuMs: {} });
    return;
  }
  const r: Round = { cpuMs: {} };
  /** Runs one figure and records the server's CPU time per operation. */
  const measured = async <T>(
    key: keyof Round["cpuMs"],
    work: () => Promise<T>,
    ops: (result: T) => number,
  ): Promise<T> => {
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

    r.wait = await measured(
      "wait",
      () => waitThroughput(server.url, cfg.seconds, CONCURRENCY),
      (f) => f.completed,
    );
    say(`  runs/wait: ${fmt(r.wait.perSecond)}/s (${r.wait.completed} runs, ${r.wait.failures} failures)`);
    if (r.wait.completed === 0 || r.wait.failures)
      fail(side, `runs/wait: ${r.wait.failures} failures, first: ${r.wait.firstFailure}`);

    r.stream = await measured(
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
    if (side === "threadgate" && !ceilingBodyFile) {
      ceilingBodyFile = path.join(workDir, "run.json");
      fs.writeFileSync(ceilingBodyFile, sample.body);
      ceilingRoute = sample.route;
    }
    if (cfg.warmupSeconds > 0) await getRps(server.url, sample.route, cfg.warmupSeconds / 3, CONCURRENCY);
    r.get = await measured(
      "get",
      () => getRps(server.url, sample.route, cfg.seconds, CONCURRENCY),
      (f) => f.total,
    );
    say(`  GET run: ${fmt(r.get.perSecond)} req/s (${r.get.failures} failures)`);
    if (r.get.total === 0 || r.get.failures) fail(side, `GET run: ${r.get.failures} failures`);

    r.custom = await measured(
      "custom",
      () => customEventsRate(server.url, cfg.customEvents),
      (f) => f.received,
    );
    say(`  custom events: ${fmt(r.custom.perSecond)} events/s (${r.custom.received}/${r.custom.expected})`);
    if (r.custom.problem) fail(side, `custom events: ${r.custom.problem}`);
  } catch (err) {
    fail(side, `${(err as Error).message}\n${server.logTail(20)}`);
  } finally {
    rounds[side].push(r);
    await server.stop();
  }
}

async function ceilings(round: number): Promise<void> {
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
    inProcess.push(res.perSecond);
    inProcessCpuMs.push(res.cpuMsPerInvocation);
    say(`  in-process: ${fmt(res.perSecond)} invocations/s`);
  } catch (err) {
    fail("in-process", (err as Error).message);
  }
  if (!ceilingBodyFile || !ceilingRoute) return;
  say(`round ${round + 1}: bare Koa ceiling`);
  let koa: ServerHandle | undefined;
  try {
    koa = await startKoaCeiling({ workDir, bodyFile: ceilingBodyFile });
    if (cfg.warmupSeconds > 0) await getRps(koa.url, ceilingRoute, cfg.warmupSeconds / 2, CONCURRENCY);
    const before = koa.cpuSeconds();
    const res = await getRps(koa.url, ceilingRoute, cfg.seconds, CONCURRENCY);
    koaCeilingCpuMs.push(((koa.cpuSeconds() - before) * 1000) / Math.max(1, res.total));
    koaCeiling.push(res);
    say(`  bare Koa: ${fmt(res.perSecond)} req/s`);
  } catch (err) {
    fail("koa-ceiling", (err as Error).message);
  } finally {
    await koa?.stop();
  }
}

async function streamsSession(side: Side): Promise<void> {
  say(`${cfg.streams} open streams: ${TITLE[side]}`);
  let server: ServerHandle;
  try {
    server = await start(side);
  } catch (err) {
    fail(side, `did not start: ${(err as Error).message}`);
    return;
  }
  try {
    const fig = await openStreams(server, {
      streams: cfg.streams,
      runs: cfg.streamRuns,
      events: cfg.streamEvents,
      workDir,
      timeoutS: cfg.streamsTimeoutS,
    });
    streamsFigure[side] = fig;
    say(
      `  open at once ${fig.openAtOnce}/${fig.streams}, complete ${fig.complete}/${fig.streams}, ` +
        `opened in ${fmt(fig.secondsToOpen)} s, delivered in ${fmt(fig.secondsToDeliver)} s, ` +
        `RSS open ${fmt(fig.rssOpenMiB)} MiB, peak ${fmt(fig.peakRssMiB)} MiB`,
    );
    // The competitor failing under 5,000 streams is a finding, reported in the table; in the smoke run it is a harness failure.
    const fatal = side === "threadgate" || smoke;
    if (fig.complete !== fig.streams) fail(side, `open streams: ${fig.problems.join("; ")}`, fatal);
  } catch (err) {
    fail(side, `open streams: ${(err as Error).message}\n${server.logTail(20)}`, side === "threadgate" || smoke);
  } finally {
    await server.stop();
  }
}

function floodWhat(): string {
  return `${cfg.floodRuns} runs × ${cfg.floodEvents.toLocaleString("en-US")} custom events of ${cfg.floodBytes} bytes, at once`;
}

/** The event flood, on Threadgate, then the same graphs streamed in one process with no server. */
async function floodSession(): Promise<void> {
  const what = floodWhat();
  say(`event flood, ${what}: Threadgate`);
  let server: ServerHandle;
  try {
    server = await start("threadgate");
  } catch (err) {
    fail("threadgate", `did not start: ${(err as Error).message}`);
    return;
  }
  try {
    const fig = await eventFlood(server, {
      runs: cfg.floodRuns,
      events: cfg.floodEvents,
      bytes: cfg.floodBytes,
      timeoutS: smoke ? 120 : 900,
    });
    floodFigure = fig;
    say(
      `  ${fmt(fig.seconds)} s; peak RSS ${fmt(fig.peakRssMiB)} MiB (idle ${fmt(fig.rssBeforeMiB)}); ` +
        `/ok p99 ${fmt(fig.floodOk.p99)} ms, max ${fmt(fig.floodOk.max)} ms (idle p99 ${fmt(fig.idleOk.p99)} ms)`,
    );
    if (fig.problems.length) fail("threadgate", `event flood: ${fig.problems.join("; ")}`);
  } catch (err) {
    fail("threadgate", `event flood: ${(err as Error).message}\n${server.logTail(20)}`);
  } finally {
    await server.stop();
  }
  say(`event flood, ${what}: the graphs alone in one process`);
  try {
    const floor = await runJsonChild<NonNullable<typeof floodFloor>>(
      "flood-inprocess.ts",
      { FLOOD_RUNS: String(cfg.floodRuns), FLOOD_EVENTS: String(cfg.floodEvents), FLOOD_BYTES: String(cfg.floodBytes) },
      600_000,
    );
    floodFloor = floor;
    say(`  RSS ${fmt(floor.rssBeforeMiB)} → peak ${fmt(floor.peakRssMiB)} MiB`);
  } catch (err) {
    fail("flood-inprocess", (err as Error).message);
  }
}

/* ---------------------------------------------------------------- profiling mode */

async function profile(figure: string): Promise<void> {
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
      const fig = await openStreams(server, {
        streams: cfg.streams,
        runs: cfg.streamRuns,
        events: cfg.streamEvents,
        workDir,
        timeoutS: cfg.streamsTimeoutS,
      });
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

/* ---------------------------------------------------------------- report */

interface Row {
  figure: string;
  tg: string;
  lg: string;
  ratio: string;
  target: string;
  met: string;
}

const check = (ok: boolean | null) => (ok === null ? "—" : ok ? "✅ met" : "❌ missed");

function pooled(side: Side, pick: (s: StreamLatencyFigure) => number[]): number[] {
  return rounds[side].flatMap((r) => (r.stream ? pick(r.stream) : []));
}
function med(side: Side, pick: (r: Round) => number | undefined): number {
  return median(rounds[side].map(pick).filter((v): v is number => v !== undefined));
}

function buildRows(): { rows: Row[]; verdicts: Record<string, boolean | null>; note: string } {
  const tgWait = med("threadgate", (r) => r.wait?.perSecond);
  const lgWait = med("langgraphjs", (r) => r.wait?.perSecond);
  const ceiling = median(inProcess);
  /** p-th percentile of every stream's time to its first or last event, pooled over the rounds. */
  const latency = (side: Side, which: "first" | "last", p: number) =>
    percentile(
      pooled(side, (s) => s[which]),
      p,
    );
  const latencyRow = (which: "first" | "last", p: number, target = "", met = ""): Row => {
    const tg = latency("threadgate", which, p);
    const lg = latency("langgraphjs", which, p);
    return {
      figure: `runs/stream time to ${which} event, p${p} (ms), c=${CONCURRENCY}`,
      tg: fmt(tg),
      lg: fmt(lg),
      ratio: ratio(tg, lg),
      target,
      met,
    };
  };
  const tgFirst99 = latency("threadgate", "first", 99);
  const lgFirst99 = latency("langgraphjs", "first", 99);
  const tgGet = med("threadgate", (r) => r.get?.perSecond);
  const lgGet = med("langgraphjs", (r) => r.get?.perSecond);
  const koa = median(koaCeiling.map((k) => k.perSecond));
  const tgCustom = med("threadgate", (r) => r.custom?.perSecond);
  const lgCustom = med("langgraphjs", (r) => r.custom?.perSecond);
  const tgS = streamsFigure.threadgate;
  const lgS = streamsFigure.langgraphjs;
  const n = cfg.streams.toLocaleString("en-US");
  const has = (...v: number[]) => v.every(Number.isFinite);

  const verdicts: Record<string, boolean | null> = {
    "wait vs LangGraph.js ≥ 10×": has(tgWait, lgWait) ? tgWait >= 10 * lgWait : null,
    "wait vs in-process ≥ 0.25×": has(tgWait, ceiling) ? tgWait >= 0.25 * ceiling : null,
    "first-event p99 ≤ 0.1× LangGraph.js": has(tgFirst99, lgFirst99) ? tgFirst99 <= 0.1 * lgFirst99 : null,
    [`${n} streams all delivered`]: tgS ? tgS.complete === tgS.streams : null,
    [`${n} streams peak RSS < 1 GiB`]: tgS ? tgS.peakRssMiB < 1024 : null,
    "GET run ≥ 0.6× bare Koa": has(tgGet, koa) ? tgGet >= 0.6 * koa : null,
    "event flood peak RSS < 512 MiB": floodFigure ? floodFigure.peakRssMiB < 512 : null,
    "GET /ok p99 during the flood < 50 ms": floodFigure ? floodFigure.floodOk.p99 < 50 : null,
  };
  const v = Object.values(verdicts);
  const streamsCell = (s?: OpenStreamsFigure) =>
    s ? `${s.complete.toLocaleString("en-US")} / ${s.streams.toLocaleString("en-US")}` : "failed";
  const rows: Row[] = [
    {
      figure: `runs/wait throughput, new thread + wait, c=${CONCURRENCY} (runs/s)`,
      tg: fmt(tgWait),
      lg: fmt(lgWait),
      ratio: ratio(tgWait, lgWait),
      target: "≥ 10×",
      met: check(v[0]),
    },
    {
      figure: `in-process ceiling: graph.invoke + SQLite checkpointer, ${CONCURRENCY} at a time, no HTTP (runs/s)`,
      tg: fmt(ceiling),
      lg: "",
      ratio: `${ratio(tgWait, ceiling)} of it`,
      target: "Threadgate ≥ 0.25×",
      met: check(v[1]),
    },
    latencyRow("first", 50),
    latencyRow("first", 99, "≤ 0.1×", check(v[2])),
    latencyRow("last", 50),
    latencyRow("last", 99),
    {
      figure: `${n} open SSE streams on ${cfg.streamRuns} runs: streams that got every event`,
      tg: streamsCell(tgS),
      lg: streamsCell(lgS),
      ratio: "",
      target: "all",
      met: check(v[3]),
    },
    {
      figure: `${n} open SSE streams: peak RSS of the server process (MiB)`,
      tg: fmt(tgS?.peakRssMiB ?? Number.NaN),
      lg: fmt(lgS?.peakRssMiB ?? Number.NaN),
      ratio: ratio(tgS?.peakRssMiB ?? Number.NaN, lgS?.peakRssMiB ?? Number.NaN),
      target: "< 1024 MiB",
      met: check(v[4]),
    },
    {
      figure: `GET a run by id, c=${CONCURRENCY} (req/s)`,
      tg: fmt(tgGet),
      lg: fmt(lgGet),
      ratio: ratio(tgGet, lgGet),
      target: "",
      met: "",
    },
    {
      figure: "bare Koa handler returning the same JSON (req/s): the ceiling",
      tg: fmt(koa),
      lg: "",
      ratio: `${ratio(tgGet, koa)} of it`,
      target: "Threadgate ≥ 0.6×",
      met: check(v[5]),
    },
    {
      figure: `custom events delivered to one client (events/s, ${cfg.customEvents.toLocaleString("en-US")} events)`,
      tg: fmt(tgCustom),
      lg: fmt(lgCustom),
      ratio: ratio(tgCustom, lgCustom),
      target: "",
      met: "",
    },
    {
      figure: `event flood (${floodWhat()}): peak RSS of the server process (MiB); idle before it ${fmt(floodFigure?.rssBeforeMiB ?? Number.NaN)}`,
      tg: fmt(floodFigure?.peakRssMiB ?? Number.NaN),
      lg: "",
      ratio: "",
      target: "< 512 MiB",
      met: check(verdicts["event flood peak RSS < 512 MiB"]),
    },
    {
      figure: `the same flood's graphs alone in one process, no server: peak RSS (MiB); before ${fmt(floodFloor?.rssBeforeMiB ?? Number.NaN)}`,
      tg: fmt(floodFloor?.peakRssMiB ?? Number.NaN),
      lg: "",
      ratio: "",
      target: "",
      met: "",
    },
    {
      figure: `GET /ok every 20 ms during the flood, p99 (ms); idle p99 ${fmt(floodFigure?.idleOk.p99 ?? Number.NaN)}, max during ${fmt(floodFigure?.floodOk.max ?? Number.NaN)}`,
      tg: fmt(floodFigure?.floodOk.p99 ?? Number.NaN),
      lg: "",
      ratio: "",
      target: "< 50 ms",
      met: check(verdicts["GET /ok p99 during the flood < 50 ms"]),
    },
  ];
  // A smoke run's counts are too small for any target to mean something: it judges none.
  if (smoke) for (const row of rows) row.met = "";
  // What the two runs/wait targets ask of this run's machine: LangGraph.js's figure is set by its queue's
  // polling, not by the CPU, so "10× theirs" is a fixed rate, while the in-process ceiling moves with the machine.
  const note = has(lgWait, ceiling)
    ? `10× LangGraph.js's runs/wait is ${fmt(10 * lgWait)} runs/s here: ${fmt((10 * lgWait) / ceiling)}× this run's in-process ceiling (the other runs/wait target asks for 0.25× of it).`
    : "";
  return { rows, verdicts, note };
}

function markdownTable(rows: Row[]): string {
  const out = [
    "| figure | Threadgate | LangGraph.js API | ratio | target | |",
    "|---|---:|---:|---:|---|---|",
    ...rows.map((r) => `| ${r.figure} | ${r.tg} | ${r.lg} | ${r.ratio} | ${r.target} | ${r.met} |`),
  ];
  return out.join("\n");
}

function gitDescribe(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return "unknown";
  }
}

function environment(loadBefore: number[]): string[] {
  const cpu = os.cpus();
  const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30)} GiB RAM, Linux ${os.release()}; load average before the run ${loadBefore.map((l) => l.toFixed(2)).join(" / ")}, after ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")}`,
    `- Node ${process.version}; Threadgate ${rootPkg.version} (git ${gitDescribe()}) with @langchain/langgraph ${packageVersion(ROOT, "@langchain/langgraph")}, better-sqlite3 ${packageVersion(ROOT, "better-sqlite3")}, koa ${packageVersion(ROOT, "koa")}, openapi-backend ${packageVersion(ROOT, "openapi-backend")}`,
    `- LangGraph.js API server: @langchain/langgraph-api ${packageVersion(LGJS_DIR, "@langchain/langgraph-api")} started by @langchain/langgraph-cli ${packageVersion(LGJS_DIR, "@langchain/langgraph-cli")} (\`langgraphjs dev --no-reload\`, default ${"10"} jobs per worker, in memory), @langchain/langgraph ${packageVersion(LGJS_DIR, "@langchain/langgraph")}`,
    `- load generators: autocannon ${packageVersion(ROOT, "autocannon")} (runs/wait, GET), undici ${packageVersion(ROOT, "undici")} (every SSE figure)`,
  ];
}

function method(): string[] {
  return [
    `- One server at a time on 127.0.0.1, each a fresh process (Threadgate: \`node --import tsx src/main.ts\`, SQLite file in a temp folder, LOG_LEVEL=warn; LangGraph.js: its CLI, LOG_LEVEL=warn). ${cfg.rounds} rounds, the order of the two servers alternating each round; each round ends with the two ceilings. Each session first warms the JIT up with the same loads (${cfg.warmupSeconds} s of runs/wait, ${cfg.warmupSeconds / 2} s of runs/stream, a short custom-events run, ${fmt(cfg.warmupSeconds / 3)} s of GET), then measures each figure for ${cfg.seconds} s; the in-process ceiling warms up for ${cfg.warmupSeconds} s too.`,
    "- Both servers load the same graph sources, `scripts/bench/graphs/*.ts` (the LangGraph.js server a copy resolved against its own node_modules).",
    `- runs/wait: autocannon, ${CONCURRENCY} connections, each looping \`POST /threads\` → \`POST /threads/{id}/runs/wait\` (echo graph); counted are waits that answered 200 with the echo reply. Throughputs are the median of the rounds.`,
    `- runs/stream: ${CONCURRENCY} undici loops, each creating a thread (untimed) then timing \`POST /threads/{id}/runs/stream\` (values mode) from the request to its first and its last SSE event; percentiles over every stream of every round.`,
    "- GET: autocannon on `GET /threads/{thread_id}/runs/{run_id}` of a finished run; the ceiling is a bare Koa app (scripts/bench/ceiling-koa.ts) answering the same JSON.",
    `- Open streams: ${cfg.streamRuns} background runs of \`hold\` (resumable streams) wait on a gate; ${cfg.streams.toLocaleString("en-US")} undici streams join them (\`GET …/runs/{run_id}/stream\`, \`Last-Event-ID: -1\`) in batches of 250; once every stream has its first event the gate opens and each run emits ${cfg.streamEvents} custom events. A stream counts when it got all of them, in order, and ended. Peak RSS is VmHWM of the server process (/proc).`,
    `- Custom events: one client streams a run of \`custom_events\` (${cfg.customEvents.toLocaleString("en-US")} custom events); rate = events / (last event − request sent).`,
    `- Event flood: on a fresh Threadgate, ${floodWhat()} (\`flood\` graph: one node writing them in one synchronous loop), all created at once as background runs; every other run has a client streaming all of its events (checked in order). Meanwhile \`GET /ok\` every 20 ms, one at a time (a request slower than 20 ms also counts the ones it held up), and VmRSS every 100 ms; the idle figures are the same probes just before. The floor is the same runs streamed by \`graph.stream\` in one process with no server (scripts/bench/flood-inprocess.ts): what LangGraph itself holds of such nodes.`,
  ];
}

function perRoundTable(): string {
  const lines = [
    "| round | server | runs/wait (runs/s) | first event p50 / p99 (ms) | last event p50 / p99 (ms) | GET run (req/s) | custom events/s |",
    "|---:|---|---:|---:|---:|---:|---:|",
  ];
  for (let i = 0; i < cfg.rounds; i++) {
    for (const side of SIDES) {
      const r = rounds[side][i];
      if (!r) continue;
      const s = r.stream ? { f: summarize(r.stream.first), l: summarize(r.stream.last) } : undefined;
      lines.push(
        `| ${i + 1} | ${TITLE[side]} | ${fmt(r.wait?.perSecond ?? NaN)} | ${s ? `${fmt(s.f.p50)} / ${fmt(s.f.p99)}` : "—"} | ${s ? `${fmt(s.l.p50)} / ${fmt(s.l.p99)}` : "—"} | ${fmt(r.get?.perSecond ?? NaN)} | ${fmt(r.custom?.perSecond ?? NaN)} |`,
      );
    }
    lines.push(`| ${i + 1} | in-process ceiling | ${fmt(inProcess[i] ?? NaN)} | | | | |`);
    lines.push(`| ${i + 1} | bare Koa ceiling | | | | ${fmt(koaCeiling[i]?.perSecond ?? NaN)} | |`);
  }
  return lines.join("\n");
}

function cpuTable(): string {
  const cpu = (side: Side, key: keyof Round["cpuMs"]) => median(rounds[side].map((r) => r.cpuMs[key] ?? Number.NaN));
  const row = (what: string, key: keyof Round["cpuMs"], ceiling?: number, ceilingName?: string) => {
    const tg = cpu("threadgate", key);
    const lg = cpu("langgraphjs", key);
    return `| ${what} | ${fmt(tg)} | ${fmt(lg)} | ${ratio(tg, lg)} | ${ceiling === undefined ? "" : `${fmt(ceiling)} (${ceilingName})`} |`;
  };
  return [
    "| server CPU per operation (ms) | Threadgate | LangGraph.js API | ratio | ceiling |",
    "|---|---:|---:|---:|---:|",
    row("new thread + wait run", "wait", median(inProcessCpuMs), "graph.invoke in process"),
    row("new thread (untimed) + runs/stream", "stream"),
    row("GET a run", "get", median(koaCeilingCpuMs), "bare Koa"),
    row("one custom event", "custom"),
  ].join("\n");
}

function streamsDetail(): string {
  const lines = [
    "| server | open at once | complete | time to open all (s) | time to deliver after release (s) | RSS with all open (MiB) | peak RSS (MiB) | problems |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const side of SIDES) {
    const s = streamsFigure[side];
    if (!s) {
      lines.push(`| ${TITLE[side]} | — | — | — | — | — | — | did not run (see failures) |`);
      continue;
    }
    lines.push(
      `| ${TITLE[side]} | ${s.openAtOnce} | ${s.complete} | ${fmt(s.secondsToOpen)} | ${fmt(s.secondsToDeliver)} | ${fmt(s.rssOpenMiB)} | ${fmt(s.peakRssMiB)} | ${s.problems.join("; ") || "none"} |`,
    );
  }
  return lines.join("\n");
}

function updateReadme(table: string, note: string, resultsFile: string, date: string): void {
  const readme = path.join(ROOT, "README.md");
  const text = fs.readFileSync(readme, "utf8");
  const begin = "<!-- bench:begin -->";
  const end = "<!-- bench:end -->";
  const block = [
    begin,
    `Latest \`npm run bench\` (${date}, ${os.cpus().length} cores; details and per-round figures in [${path.relative(ROOT, resultsFile)}](${path.relative(ROOT, resultsFile)})):`,
    "",
    table,
    ...(note ? ["", note] : []),
    end,
  ].join("\n");
  let next: string;
  if (text.includes(begin) && text.includes(end)) {
    next = text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length);
  } else {
    const intro = [
      "## Performance",
      "",
      "`npm run bench` runs Threadgate (SQLite, every run persisted) and the LangGraph.js API server (`langgraphjs dev`,",
      "in memory) one at a time on the same graphs (`scripts/bench/graphs/`), on loopback, with the same load generators, in",
      "alternating rounds, and compares them with two ceilings: the graph invoked in process with the same SQLite",
      "checkpointer, and a bare Koa handler. Absolute numbers depend on the machine; the ratios are the claim.",
      "`npm run bench:smoke` runs the same harness with tiny counts (CI proves it works end to end; it judges no target).",
      "",
    ].join("\n");
    next = `${text.replace(/\s*$/, "\n")}\n${intro}\n${block}\n`;
  }
  fs.writeFileSync(readme, next);
}

/* ---------------------------------------------------------------- main */

async function main(): Promise<number> {
  const loadBefore = os.loadavg();
  const startedAt = Date.now();
  if (profileFigure) {
    await profile(profileFigure);
    fs.rmSync(workDir, { recursive: true, force: true });
    return 0;
  }
  say(
    `${smoke ? "smoke run" : "full run"}: ${cfg.rounds} round(s) × ${cfg.seconds} s per figure, ${cfg.streams} streams; temp folder ${workDir}`,
  );
  prepareLangGraphJs(say);

  for (let i = 0; i < cfg.rounds; i++) {
    const order = i % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) await session(side, i);
    await ceilings(i);
  }
  for (const side of SIDES) await streamsSession(side);
  await floodSession();

  const { rows, verdicts, note } = buildRows();
  const table = markdownTable(rows);
  const minutes = (Date.now() - startedAt) / 60_000;
  console.log("\n" + table + "\n\n" + note + "\n\n" + cpuTable() + "\n");
  if (smoke) say("smoke run: the harness works end to end; its counts are too small to judge any target");
  else
    for (const [name, ok] of Object.entries(verdicts))
      say(`target ${name}: ${ok === null ? "not measured" : ok ? "met" : "MISSED"}`);
  if (failures.length)
    for (const f of failures) say(`failure (${f.fatal ? "fatal" : "reported"}) ${f.side}: ${f.what.split("\n")[0]}`);
  say(`done in ${fmt(minutes)} min`);

  if (cfg.write) {
    const date = new Date().toISOString();
    const file = path.join(BENCH_DIR, "results", `${date.slice(0, 16).replace(/[:T]/g, "-")}.md`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const doc = [
      `# Benchmark: Threadgate vs the LangGraph.js API server (${date.slice(0, 10)})`,
      "",
      "## Environment",
      "",
      ...environment(loadBefore),
      "",
      "## Summary",
      "",
      table,
      "",
      "Ratios are Threadgate ÷ LangGraph.js (for latencies and memory, lower is better) or Threadgate ÷ the ceiling.",
      "",
      note,
      "",
      "## CPU cost per operation",
      "",
      "User + system CPU time of the server process during each figure, divided by the operations it completed (median of the rounds). On a shared machine this moves less than the rates do: it is what a figure costs, whoever else uses the cores.",
      "",
      cpuTable(),
      "",
      "## Per round",
      "",
      perRoundTable(),
      "",
      "## Event flood",
      "",
      floodFigure
        ? "```json\n" + JSON.stringify({ threadgate: floodFigure, graphsAlone: floodFloor }, null, 2) + "\n```"
        : "did not run (see failures)",
      "",
      `## ${cfg.streams.toLocaleString("en-US")} open streams`,
      "",
      streamsDetail(),
      "",
      "## Failures",
      "",
      failures.length
        ? failures.map((f) => `- ${f.side} (${f.fatal ? "harness" : "reported"}): ${f.what.split("\n")[0]}`).join("\n")
        : "none",
      "",
      "## Method",
      "",
      ...method(),
      `- The whole run took ${fmt(minutes)} min. Reproduce with \`npm run bench\`.`,
      "",
    ].join("\n");
    fs.writeFileSync(file, doc);
    updateReadme(table, note, file, date.slice(0, 10));
    say(`wrote ${path.relative(ROOT, file)} and README.md's Performance section`);
  }
  if (failures.length) say(`server logs and databases kept in ${workDir}`);
  else fs.rmSync(workDir, { recursive: true, force: true });
  return failures.some((f) => f.fatal) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
