/**
 * The in-process ceiling for `runs/wait`: the bench's echo graph invoked
 * directly, `BENCH_CONCURRENCY` at a time (default 16), each invocation on a new
 * thread, with the same SQLite checkpointer Threadgate attaches (its
 * openSqliteStores on a fresh file in BENCH_DB_DIR). No HTTP, no run records,
 * no stream log. Prints one JSON line: { invocations, seconds, perSecond, cpuMsPerInvocation }.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openSqliteStores } from "../../src/stores/sqlite/index.ts";
import { graph } from "./graphs/echo.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const dbDir = process.env.BENCH_DB_DIR ?? ".";

const stores = await openSqliteStores({ path: path.join(dbDir, `inprocess-${process.pid}.db`) });
graph.checkpointer = stores.checkpointer;

const input = { messages: [{ role: "user", content: "hello" }] };

async function loop(until: number): Promise<number> {
  let n = 0;
  while (performance.now() < until) {
    const out = await graph.invoke(input, { configurable: { thread_id: randomUUID() } });
    if (out.messages.length !== 2) throw new Error("echo graph answered unexpectedly");
    n += 1;
  }
  return n;
}

async function run(durationS: number): Promise<{ count: number; elapsed: number }> {
  const start = performance.now();
  const until = start + durationS * 1000;
  const counts = await Promise.all(Array.from({ length: concurrency }, () => loop(until)));
  return { count: counts.reduce((a, b) => a + b, 0), elapsed: (performance.now() - start) / 1000 };
}

if (warmupSeconds > 0) await run(warmupSeconds);
const cpu0 = process.cpuUsage();
const { count, elapsed } = await run(seconds);
const cpu = process.cpuUsage(cpu0);
await stores.close();
console.log(
  JSON.stringify({
    invocations: count,
    seconds: elapsed,
    perSecond: count / elapsed,
    cpuMsPerInvocation: (cpu.user + cpu.system) / 1000 / count,
  }),
);
