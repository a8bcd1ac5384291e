/**
 * One-off experiment behind a README note: does a second core help when every
 * run is persisted to one SQLite file? Invokes the bench's echo graph with the
 * Threadgate SQLite checkpointer on the file DB, CONC at a time, for 5 s.
 *
 *   D=$(mktemp -d)
 *   DB=$D/x.db CONC=16 npx tsx scripts/bench/experiments/two-processes.ts                 # one process
 *   DB=$D/x.db CONC=8 npx tsx scripts/bench/experiments/two-processes.ts &                # two at once,
 *   DB=$D/x.db CONC=8 npx tsx scripts/bench/experiments/two-processes.ts; wait            # same file
 *
 * 2026-11-25, 2 cores: one process 947/s; two at once 574 + 558 = 1,132/s (1.2×).
 */
import { randomUUID } from "node:crypto";
import { openSqliteStores } from "../../../src/stores/sqlite/index.ts";
import { graph } from "../graphs/echo.ts";

const stores = await openSqliteStores({ path: process.env.DB ?? "two-processes.db" });
graph.checkpointer = stores.checkpointer;
const input = { messages: [{ role: "user", content: "hello" }] };
const concurrency = Number(process.env.CONC ?? 16);

async function loop(until: number): Promise<number> {
  let n = 0;
  while (performance.now() < until) {
    await graph.invoke(input, { configurable: { thread_id: randomUUID() } });
    n += 1;
  }
  return n;
}

await Promise.all(Array.from({ length: concurrency }, () => loop(performance.now() + 1500))); // warm-up
const until = performance.now() + 5000;
const counts = await Promise.all(Array.from({ length: concurrency }, () => loop(until)));
await stores.close();
console.log(`pid ${process.pid}: ${(counts.reduce((a, b) => a + b, 0) / 5).toFixed(0)} invocations/s`);
