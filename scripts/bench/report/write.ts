/**
 * The results file (scripts/bench/results/<date>.md: environment, the targets
 * table, each target per round, the per-round figures, the open streams, the
 * flood, failures, method) and the table block in README.md's Performance section.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { CONCURRENCY, cfg, failures, floodWhat } from "../config.ts";
import { measured } from "../measurements.ts";
import { BENCH_DIR, LGJS_DIR, ROOT, packageVersion } from "../lib/servers.ts";
import { fmt } from "../lib/stats.ts";
import { perRoundTable, streamsDetail, verdictsTable } from "./tables.ts";
import type { Verdict } from "./targets.ts";

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
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(" / ");
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30)} GiB RAM, Linux ${os.release()}; load average before the run ${load(loadBefore)}, after ${load(os.loadavg())}`,
    `- Node ${process.version}; Threadgate ${rootPkg.version} (git ${gitDescribe()}) with @langchain/langgraph ${packageVersion(ROOT, "@langchain/langgraph")}, better-sqlite3 ${packageVersion(ROOT, "better-sqlite3")}, koa ${packageVersion(ROOT, "koa")}, openapi-backend ${packageVersion(ROOT, "openapi-backend")}`,
    `- LangGraph.js API server: @langchain/langgraph-api ${packageVersion(LGJS_DIR, "@langchain/langgraph-api")} started by @langchain/langgraph-cli ${packageVersion(LGJS_DIR, "@langchain/langgraph-cli")} (\`langgraphjs dev --no-reload\`, default 10 jobs per worker, in memory), @langchain/langgraph ${packageVersion(LGJS_DIR, "@langchain/langgraph")}`,
    `- load generators: autocannon ${packageVersion(ROOT, "autocannon")} (runs/wait, GET), undici ${packageVersion(ROOT, "undici")} (every SSE figure)`,
  ];
}

function method(): string[] {
  const n = cfg.streams.toLocaleString("en-US");
  return [
    `- One server at a time on 127.0.0.1, each a fresh process (Threadgate: \`node --import tsx src/main.ts\`, SQLite file in a temp folder, LOG_LEVEL=warn; LangGraph.js: its CLI, LOG_LEVEL=warn). ${cfg.rounds} rounds, the order of the two servers alternating each round; each round then measures the two ceilings and Threadgate's open streams. Each session first warms the JIT up with the same loads (${cfg.warmupSeconds} s of runs/wait, ${cfg.warmupSeconds / 2} s of runs/stream, a short custom-events run, ${fmt(cfg.warmupSeconds / 3)} s of GET), then measures each figure for ${cfg.seconds} s; the in-process ceiling warms up for ${cfg.warmupSeconds} s too.`,
    "- Figures are the median of the rounds; ratios the median of the per-round ratios (round i's Threadgate figure over round i's LangGraph.js figure or ceiling); each verdict is taken from that median.",
    "- Server CPU per operation: utime + stime from /proc/<pid>/stat, before and after the figure, over the operations it completed. That counts every thread of a process (graph workers, SQLite's, libuv's). Summed over the server's process tree: for Threadgate the one node process that serves; for LangGraph.js its CLI, the tsx it starts and the server process tsx starts (plus the reaped children's cutime + cstime). The in-process ceiling's CPU per invocation is process.cpuUsage() over its measured seconds; the bare Koa ceiling's comes from /proc like a server's.",
    "- Both servers load the same graph sources, `scripts/bench/graphs/*.ts` (the LangGraph.js server a copy resolved against its own node_modules).",
    `- runs/wait: autocannon, ${CONCURRENCY} connections, each looping \`POST /threads\` → \`POST /threads/{id}/runs/wait\` (echo graph); counted are waits that answered 200 with the echo reply. The in-process ceiling (scripts/bench/inprocess.ts) invokes the same graph with the same SQLite checkpointer (Threadgate's openSqliteStores), ${CONCURRENCY} at a time, each on a new thread; no HTTP, no run records, no stream log.`,
    `- runs/stream: ${CONCURRENCY} undici loops, each creating a thread (untimed) then timing \`POST /threads/{id}/runs/stream\` (values mode) from the request to its first and its last SSE event; percentiles over the streams of one round.`,
    "- GET: autocannon on `GET /threads/{thread_id}/runs/{run_id}` of a finished run; the ceiling is a bare Koa app (scripts/bench/ceiling-koa.ts) answering the same JSON.",
    `- Open streams: ${cfg.streamRuns} background runs of \`hold\` (resumable streams) wait on a gate; ${n} undici streams join them (\`GET …/runs/{run_id}/stream\`, \`Last-Event-ID: -1\`) in batches of 250; once every stream has its first event the gate opens and each run emits ${cfg.streamEvents} custom events. A stream counts when it got all of them, in order, and ended. Peak RSS is VmHWM of the server process (/proc). Threadgate on a fresh server every round (judged: every stream in every round; the median peak RSS), LangGraph.js once.`,
    `- Custom events: one client streams a run of \`custom_events\` (${cfg.customEvents.toLocaleString("en-US")} custom events); rate = events / (last event − request sent).`,
    `- Event flood: on a fresh Threadgate, ${floodWhat()} (\`flood\` graph: one node writing them in one synchronous loop), all created at once as background runs; every other run has a client streaming all of its events (checked in order). Meanwhile \`GET /ok\` every 20 ms, one at a time (a request slower than 20 ms also counts the ones it held up), and VmRSS every 100 ms; the idle figures are the same probes just before. The floor is the same runs streamed by \`graph.stream\` in one process with no server (scripts/bench/flood-inprocess.ts): what LangGraph itself holds of such nodes.`,
  ];
}

/** Writes scripts/bench/results/<date>.md; returns its path. */
export function writeResults(table: string, verdicts: Verdict[], loadBefore: number[], minutes: number): string {
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
    "## Targets",
    "",
    table,
    "",
    "Ratios are Threadgate ÷ LangGraph.js or Threadgate ÷ the ceiling (for latencies, CPU and memory, lower is better), each the median of the per-round ratios.",
    "",
    "## Each target per round",
    "",
    "The judged value (a ratio, or the figure for an absolute target) in each round, and the median the verdict comes from.",
    "",
    verdictsTable(verdicts),
    "",
    "## Per round",
    "",
    perRoundTable(),
    "",
    `## ${cfg.streams.toLocaleString("en-US")} open streams`,
    "",
    streamsDetail(),
    "",
    "## Event flood",
    "",
    measured.flood
      ? "```json\n" +
        JSON.stringify({ threadgate: measured.flood, graphsAlone: measured.floodFloor }, null, 2) +
        "\n```"
      : "did not run (see failures)",
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
  return file;
}

/** Replaces the block between the bench markers in README.md's Performance section (adds the section if missing). */
export function updateReadme(table: string, resultsFile: string): void {
  const readme = path.join(ROOT, "README.md");
  const text = fs.readFileSync(readme, "utf8");
  const begin = "<!-- bench:begin -->";
  const end = "<!-- bench:end -->";
  const link = path.relative(ROOT, resultsFile);
  const block = [
    begin,
    `Latest \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores; per-round figures in [${link}](${link})):`,
    "",
    table,
    end,
  ].join("\n");
  let next: string;
  if (text.includes(begin) && text.includes(end)) {
    next = text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length);
  } else {
    const intro = [
      "## Performance",
      "",
      "`npm run bench` ([scripts/bench/](scripts/bench/README.md)) runs Threadgate and the LangGraph.js API server on",
      "the same graphs and loads and judges each target against ceilings measured in the same run.",
      "",
    ].join("\n");
    next = `${text.replace(/\s*$/, "\n")}\n${intro}\n${block}\n`;
  }
  fs.writeFileSync(readme, next);
}
