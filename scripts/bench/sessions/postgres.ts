/**
 * `npm run bench -- --postgres`: Threadgate on SQLite (1 process, the baseline), on Postgres (1 process)
 * and as 2 processes on one Postgres schema (with Redis), one after the other in the same run, under the
 * bench's runs/wait and runs/stream loads; requests to 2 processes are balanced client side (lib/load.ts).
 * Each Postgres setup gets a fresh schema, dropped at the end. Beside the figures: the server's and
 * Postgres's CPU per wait run, and Postgres transactions and row writes per wait run (pg_stat_database,
 * pg_stat_user_tables), to see where a run's time goes.
 *
 * Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), REDIS_URL
 * (default redis://127.0.0.1:6379).
 */
import pg from "pg";
import { CONCURRENCY, cfg, fail, say, workDir } from "../config.ts";
import { streamLatency, waitThroughputAcross, type StreamLatencyFigure, type WaitFigure } from "../lib/load.ts";
import { procCpuSecondsNamed, startThreadgate, type ServerHandle } from "../lib/servers.ts";
import { fmt, percentile, ratio, sleep } from "../lib/stats.ts";

const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

interface Setup {
  title: string;
  postgres: boolean;
  processes: number;
}
const SETUPS: Setup[] = [
  { title: "SQLite, 1 process", postgres: false, processes: 1 },
  { title: "Postgres, 1 process", postgres: true, processes: 1 },
  { title: "Postgres, 2 processes", postgres: true, processes: 2 },
];

interface Figures {
  wait?: WaitFigure;
  stream?: StreamLatencyFigure;
  serverCpuMs?: number;
  postgresCpuMs?: number;
  commits?: number;
  rowWrites?: number;
}

/** Transactions committed in the database and rows written in `schema`, so far (as far as the statistics are flushed). */
async function pgCounters(client: pg.Client, schema: string): Promise<{ commits: number; rowWrites: number }> {
  const db = await client.query<{ n: string }>(
    "SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()",
  );
  const rows = await client.query<{ n: string | null }>(
    "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) AS n FROM pg_stat_user_tables WHERE schemaname = $1",
    [schema],
  );
  return { commits: Number(db.rows[0].n), rowWrites: Number(rows.rows[0].n ?? 0) };
}

async function measure(setup: Setup, index: number, client: pg.Client | null): Promise<Figures> {
  const schema = `bench_${process.pid}_${index}_${Date.now()}`;
  const env: Record<string, string> = setup.postgres
    ? { DATABASE_URL, THREADGATE_POSTGRES_SCHEMA: schema, REDIS_URL }
    : { DATABASE_URL: "" };
  say(`${setup.title}${setup.postgres ? ` (schema ${schema})` : ""}`);
  const servers: ServerHandle[] = [];
  const figures: Figures = {};
  try {
    // One at a time: the first creates the schema, the others find it.
    for (let i = 0; i < setup.processes; i++) servers.push(await startThreadgate({ workDir, env }));
    const urls = servers.map((s) => s.url);
    const serverCpu = () => servers.reduce((total, s) => total + s.cpuSeconds(), 0);
    if (cfg.warmupSeconds > 0) {
      await waitThroughputAcross(urls, cfg.warmupSeconds, CONCURRENCY);
      await streamLatency(urls, cfg.warmupSeconds / 2, CONCURRENCY);
    }

    figures.stream = await streamLatency(urls, cfg.seconds, CONCURRENCY);
    const first = figures.stream.first;
    say(
      `  runs/stream: first event p50 ${fmt(percentile(first, 50))} ms p95 ${fmt(percentile(first, 95))} ms ` +
        `(${figures.stream.completed} streams, ${figures.stream.failures} failures)`,
    );
    if (figures.stream.completed === 0 || figures.stream.failures)
      fail(setup.title, `runs/stream: ${figures.stream.failures} failures, first: ${figures.stream.firstFailure}`);

    // Backends flush their statistics about a second after they go idle: let the stream figure's settle.
    if (client) await sleep(1_500);
    const before = client ? await pgCounters(client, schema) : null;
    const cpuBefore = serverCpu();
    const pgCpuBefore = setup.postgres ? procCpuSecondsNamed("postgres") : 0;
    figures.wait = await waitThroughputAcross(urls, cfg.seconds, CONCURRENCY);
    const runs = figures.wait.completed;
    figures.serverCpuMs = ((serverCpu() - cpuBefore) * 1000) / runs;
    if (setup.postgres) figures.postgresCpuMs = ((procCpuSecondsNamed("postgres") - pgCpuBefore) * 1000) / runs;
    say(
      `  runs/wait: ${fmt(figures.wait.perSecond)}/s (${runs} runs, ${figures.wait.failures} failures), ` +
        `server CPU ${fmt(figures.serverCpuMs)} ms/run` +
        (setup.postgres ? `, Postgres CPU ${fmt(figures.postgresCpuMs ?? NaN)} ms/run` : ""),
    );
    if (runs === 0 || figures.wait.failures)
      fail(setup.title, `runs/wait: ${figures.wait.failures} failures, first: ${figures.wait.firstFailure}`);

    // A stopped server's backends flush their statistics as they exit.
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    if (client && before) {
      await sleep(500);
      const after = await pgCounters(client, schema);
      figures.commits = (after.commits - before.commits) / runs;
      figures.rowWrites = (after.rowWrites - before.rowWrites) / runs;
      say(`  per wait run: ${fmt(figures.commits)} transactions, ${fmt(figures.rowWrites)} row writes`);
    }
  } catch (err) {
    fail(setup.title, `${(err as Error).message}\n${servers[0]?.logTail(20) ?? ""}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    if (client) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
  return figures;
}

function table(results: Figures[]): string {
  const base = results[0];
  const p = (f: Figures, q: number) => percentile(f.stream?.first ?? [], q);
  const rows: [string, (f: Figures) => number, boolean][] = [
    ["runs/wait (runs/s)", (f) => f.wait?.perSecond ?? NaN, true],
    ["runs/stream first event p50 (ms)", (f) => p(f, 50), true],
    ["runs/stream first event p95 (ms)", (f) => p(f, 95), true],
    ["server CPU per wait run, all processes (ms)", (f) => f.serverCpuMs ?? NaN, true],
    ["Postgres CPU per wait run (ms)", (f) => f.postgresCpuMs ?? NaN, false],
    ["Postgres transactions per wait run", (f) => f.commits ?? NaN, false],
    ["Postgres row writes per wait run", (f) => f.rowWrites ?? NaN, false],
  ];
  const head = SETUPS.map((s) => s.title);
  const vs = SETUPS.slice(1).map((s) => `${s.title} ÷ SQLite`);
  return [
    `| figure | ${[...head, ...vs].join(" | ")} |`,
    `|---|${[...head, ...vs].map(() => "---:").join("|")}|`,
    ...rows.map(([name, pick, compare]) => {
      const cells = results.map((f) => fmt(pick(f)));
      const ratios = results.slice(1).map((f) => (compare ? ratio(pick(f), pick(base)) : "—"));
      return `| ${name} | ${[...cells, ...ratios].join(" | ")} |`;
    }),
  ].join("\n");
}

export async function postgresSession(): Promise<void> {
  say(
    `--postgres: ${SETUPS.map((s) => s.title).join(", ")}; ${cfg.warmupSeconds} s warm-up, ${cfg.seconds} s per figure, ` +
      `${CONCURRENCY} loops; first event = the metadata event`,
  );
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const results: Figures[] = [];
    for (const [i, setup] of SETUPS.entries()) results.push(await measure(setup, i, setup.postgres ? client : null));
    console.log("\n" + table(results) + "\n");
  } finally {
    await client.end();
  }
}
