/**
 * The event flood on a fresh Threadgate (lib/flood.ts), then its floor: the same
 * runs streamed by `graph.stream` in one process with no server (flood-inprocess.ts).
 */
import { cfg, fail, floodWhat, say, smoke } from "../config.ts";
import { measured, type FloodFloor } from "../measurements.ts";
import { eventFlood } from "../lib/flood.ts";
import { runJsonChild, type ServerHandle } from "../lib/servers.ts";
import { fmt } from "../lib/stats.ts";
import { startServer } from "./server-round.ts";

export async function floodSession(): Promise<void> {
  const what = floodWhat();
  say(`event flood, ${what}: Threadgate`);
  let server: ServerHandle;
  try {
    server = await startServer("threadgate");
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
    measured.flood = fig;
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
    const floor = await runJsonChild<FloodFloor>(
      "flood-inprocess.ts",
      { FLOOD_RUNS: String(cfg.floodRuns), FLOOD_EVENTS: String(cfg.floodEvents), FLOOD_BYTES: String(cfg.floodBytes) },
      600_000,
    );
    measured.floodFloor = floor;
    say(`  RSS ${fmt(floor.rssBeforeMiB)} → peak ${fmt(floor.peakRssMiB)} MiB`);
  } catch (err) {
    fail("flood-inprocess", (err as Error).message);
  }
}
