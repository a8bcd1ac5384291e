/**
 * The open-streams figure on a fresh server: cfg.streams SSE streams joined to
 * cfg.streamRuns held runs, all open at once, then every event delivered
 * (lib/load.ts openStreams). Threadgate runs it every round, LangGraph.js once.
 */
import { cfg, fail, say, smoke, TITLE, workDir, type Side } from "../config.ts";
import { measured } from "../measurements.ts";
import { openStreams } from "../lib/load.ts";
import type { ServerHandle } from "../lib/servers.ts";
import { fmt } from "../lib/stats.ts";
import { startServer } from "./server-round.ts";

/** The open-streams figure with this run's counts (also what `--profile streams` measures). */
export function openStreamsFigure(server: ServerHandle): ReturnType<typeof openStreams> {
  return openStreams(server, {
    streams: cfg.streams,
    runs: cfg.streamRuns,
    events: cfg.streamEvents,
    workDir,
    timeoutS: cfg.streamsTimeoutS,
  });
}

export async function openStreamsSession(side: Side, label: string): Promise<void> {
  say(`${label}: ${cfg.streams.toLocaleString("en-US")} open streams, ${TITLE[side]}`);
  // LangGraph.js failing under many streams is a finding, reported in the table; in the smoke run it is a harness failure.
  const fatal = side === "threadgate" || smoke;
  let server: ServerHandle;
  try {
    server = await startServer(side);
  } catch (err) {
    fail(side, `did not start: ${(err as Error).message}`, fatal);
    return;
  }
  try {
    const fig = await openStreamsFigure(server);
    measured.streams[side].push(fig);
    say(
      `  open at once ${fig.openAtOnce}/${fig.streams}, complete ${fig.complete}/${fig.streams}, ` +
        `opened in ${fmt(fig.secondsToOpen)} s, delivered in ${fmt(fig.secondsToDeliver)} s, ` +
        `RSS open ${fmt(fig.rssOpenMiB)} MiB, peak ${fmt(fig.peakRssMiB)} MiB`,
    );
    if (fig.complete !== fig.streams) fail(side, `open streams: ${fig.problems.join("; ")}`, fatal);
  } catch (err) {
    fail(side, `open streams: ${(err as Error).message}\n${server.logTail(20)}`, fatal);
  } finally {
    await server.stop();
  }
}
