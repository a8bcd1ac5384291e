/**
 * The benchmark's options (from the command line), the counts of a full and a
 * smoke run, the scratch folder, and the failure list every session reports to.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
export const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i !== -1 ? argv[i + 1] : undefined;
};

/** Tiny counts: proves the harness end to end, judges no target. */
export const smoke = flag("smoke");
/** `--postgres`: Threadgate on SQLite, on Postgres, and as two processes on Postgres (sessions/postgres.ts). */
export const postgres = flag("postgres");
/** `--profile <figure>`: Threadgate alone under one figure's load, with --cpu-prof. */
export const profileFigure = option("profile");

export const CONCURRENCY = 16;

export const cfg = {
  rounds: Number(option("rounds") ?? (smoke ? 1 : 3)),
  /** seconds per measured figure per round */
  seconds: Number(option("seconds") ?? (smoke ? 1 : 6)),
  /** JIT warm-up per session: both servers run TypeScript through tsx and LangChain's deep call paths, which take ~15 s of load to settle */
  warmupSeconds: smoke ? 0.5 : 6,
  customEvents: smoke ? 500 : 10_000,
  /** open SSE streams at once: Threadgate on a fresh server every round, LangGraph.js once */
  streams: Number(option("streams") ?? (smoke ? 50 : 10_000)),
  streamRuns: smoke ? 5 : 10,
  streamEvents: smoke ? 3 : 5,
  /** the whole open-streams figure; half of it is allowed for opening them */
  streamsTimeoutS: smoke ? 60 : 300,
  /** the event flood: runs at once, custom events per run, bytes per event */
  floodRuns: smoke ? 2 : 10,
  floodEvents: smoke ? 2_000 : 100_000,
  floodBytes: 1_024,
  write: !smoke && !flag("no-write") && !profileFigure && !postgres,
};

export const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-bench-"));
export const say = (line: string) => console.log(`[bench] ${line}`);

export type Side = "threadgate" | "langgraphjs";
export const SIDES: Side[] = ["threadgate", "langgraphjs"];
export const TITLE: Record<Side, string> = { threadgate: "Threadgate", langgraphjs: "LangGraph.js API" };

export function floodWhat(): string {
  return `${cfg.floodRuns} runs × ${cfg.floodEvents.toLocaleString("en-US")} custom events of ${cfg.floodBytes} bytes, at once`;
}

/** Harness failures: a server that did not start/answer, a stream that missed events. */
export const failures: { side: string; what: string; fatal: boolean }[] = [];
export const fail = (side: string, what: string, fatal = true) => {
  failures.push({ side, what, fatal });
  say(`FAILED ${side}: ${what}`);
};
