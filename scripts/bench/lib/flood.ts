/**
 * The event-flood figure: `runs` background runs of the `flood` graph at once,
 * each writing `events` custom events of `bytes` bytes, half of them with a
 * client streaming every event, the others with none. Meanwhile one client
 * asks `GET /ok` every 20 ms and the server's RSS is read every 100 ms. The
 * baseline is the same `/ok` loop on the idle server just before, in the same
 * session.
 */
import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import { createThread, json } from "./load.ts";
import { sse } from "./sse.ts";
import { percentile, sleep } from "./stats.ts";

export interface FloodFigure {
  runs: number;
  eventsPerRun: number;
  bytesPerEvent: number;
  /** /ok latency on the idle server just before the flood (ms) */
  idleOk: { p50: number; p99: number };
  /** /ok latency while the runs flood (ms) */
  floodOk: { p50: number; p99: number; max: number; count: number };
  rssBeforeMiB: number;
  /** highest VmRSS sampled during the flood */
  peakRssMiB: number;
  /** VmRSS once every run has ended */
  rssAfterMiB: number;
  seconds: number;
  /** events the streaming clients received, and how many they should have */
  streamed: number;
  streamedExpected: number;
  problems: string[];
}

interface Server {
  url: string;
  rssMiB(): number;
}

/**
 * GET /ok every `everyMs`, one at a time, until `stop` aborts; the latencies in ms. A request that takes
 * longer than the interval also counts the requests that would have been sent meanwhile, each with
 * the time it would have waited (a stall of 2 s is ~100 slow samples, not one).
 */
async function probeOk(pool: Pool, everyMs: number, stop: AbortSignal): Promise<number[]> {
  const latencies: number[] = [];
  while (!stop.aborted) {
    const t0 = performance.now();
    const res = await pool.request({ path: "/ok", method: "GET" });
    await res.body.text();
    const took = performance.now() - t0;
    latencies.push(took);
    for (let missed = took - everyMs; missed > 0; missed -= everyMs) latencies.push(missed);
    await sleep(Math.max(0, everyMs - took));
  }
  return latencies;
}

async function sampleRss(server: Server, stop: AbortSignal): Promise<number> {
  let peak = 0;
  while (!stop.aborted) {
    peak = Math.max(peak, server.rssMiB());
    await sleep(100);
  }
  return peak;
}

export async function eventFlood(
  server: Server,
  opts: { runs: number; events: number; bytes: number; timeoutS: number },
): Promise<FloodFigure> {
  const { url } = server;
  const control = new Pool(url, { connections: 4 });
  const probe = new Pool(url, { connections: 1 });
  const readers = new Pool(url, { connections: opts.runs + 2 });
  const problems: string[] = [];
  try {
    const idleStop = AbortSignal.timeout(2_000);
    const idle = await probeOk(probe, 20, idleStop);
    const rssBeforeMiB = server.rssMiB();

    const threads = await Promise.all(Array.from({ length: opts.runs }, () => createThread(control)));
    const stop = new AbortController();
    const okLoop = probeOk(probe, 20, stop.signal);
    const rssLoop = sampleRss(server, stop.signal);
    const t0 = performance.now();
    const configurable = { count: opts.events, size: opts.bytes };
    const runs = await Promise.all(
      threads.map(async (threadId) => {
        const { body } = await json<{ run_id: string }>(control, "POST", `/threads/${threadId}/runs`, {
          assistant_id: "flood",
          input: {},
          stream_mode: ["custom"],
          stream_resumable: true,
          config: { configurable },
        });
        return { threadId, runId: body.run_id };
      }),
    );
    const streaming = runs.filter((_, i) => i % 2 === 0);
    let streamed = 0;
    const reading = streaming.map(async ({ threadId, runId }) => {
      let next = 0;
      const res = await sse(readers, {
        origin: url,
        path: `/threads/${threadId}/runs/${runId}/stream`,
        headers: { "last-event-id": "-1" },
        keepData: false,
        onEvent: (e) => {
          if (e.event !== "custom") return;
          const { i } = JSON.parse(e.data) as { i: number };
          if (i !== next) problems.push(`run ${runId}: event ${i} came when ${next} was due`);
          next = i + 1;
          streamed += 1;
        },
      });
      if (res.error) problems.push(`run ${runId}: ${res.error}`);
    });
    const deadline = Date.now() + opts.timeoutS * 1000;
    for (const { threadId, runId } of runs) {
      for (;;) {
        const { body } = await json<{ status: string }>(control, "GET", `/threads/${threadId}/runs/${runId}`);
        if (body.status !== "pending" && body.status !== "running") {
          if (body.status !== "success") problems.push(`run ${runId} ended ${body.status}`);
          break;
        }
        if (Date.now() > deadline) {
          problems.push(`run ${runId} still ${body.status} after ${opts.timeoutS} s`);
          break;
        }
        await sleep(250);
      }
    }
    await Promise.all(reading);
    const seconds = (performance.now() - t0) / 1000;
    stop.abort();
    const [during, peakRssMiB] = await Promise.all([okLoop, rssLoop]);
    const streamedExpected = streaming.length * opts.events;
    if (streamed !== streamedExpected) problems.push(`streamed ${streamed} of ${streamedExpected} events`);
    return {
      runs: opts.runs,
      eventsPerRun: opts.events,
      bytesPerEvent: opts.bytes,
      idleOk: { p50: percentile(idle, 50), p99: percentile(idle, 99) },
      floodOk: {
        p50: percentile(during, 50),
        p99: percentile(during, 99),
        max: Math.max(...during),
        count: during.length,
      },
      rssBeforeMiB,
      peakRssMiB,
      rssAfterMiB: server.rssMiB(),
      seconds,
      streamed,
      streamedExpected,
      problems: problems.slice(0, 10),
    };
  } finally {
    await Promise.all([control.close(), probe.close(), readers.close()]);
  }
}
