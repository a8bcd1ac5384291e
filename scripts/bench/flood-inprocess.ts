/**
 * The event-flood figure's floor: the same runs of the `flood` graph streamed
 * in one process with no server (`graph.stream`, custom mode, every event
 * serialised and dropped), all started at once as the server starts them. What
 * LangGraph holds of ten nodes that each write their events in one synchronous
 * loop is in this figure too. Prints one JSON line: RSS before, peak, growth (MiB).
 *
 *   FLOOD_RUNS=10 FLOOD_EVENTS=100000 FLOOD_BYTES=1024 npx tsx scripts/bench/flood-inprocess.ts
 */
import { graph } from "./graphs/flood.ts";
import { procStatusKiB } from "./lib/servers.ts";

const runs = Number(process.env.FLOOD_RUNS ?? 10);
const configurable = {
  count: Number(process.env.FLOOD_EVENTS ?? 100_000),
  size: Number(process.env.FLOOD_BYTES ?? 1_024),
};
const rss = () => procStatusKiB(process.pid, "VmRSS") / 1024;

const before = rss();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 100);
let events = 0;
await Promise.all(
  Array.from({ length: runs }, async () => {
    const stream = await graph.stream({}, { streamMode: ["custom"], configurable });
    for await (const chunk of stream) {
      JSON.stringify(chunk);
      events += 1;
    }
  }),
);
clearInterval(sampler);
peak = Math.max(peak, procStatusKiB(process.pid, "VmHWM") / 1024);
console.log(JSON.stringify({ rssBeforeMiB: before, peakRssMiB: peak, growthMiB: peak - before, events }));
