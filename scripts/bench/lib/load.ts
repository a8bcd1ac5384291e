/**
 * The load generators, identical for every server: autocannon for the
 * request/response figures, undici for everything that streams.
 */
import { setMaxListeners } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { Pool } from "undici";
import { sse, type SseResult } from "./sse.ts";
import { percentile, sleep } from "./stats.ts";

export const ECHO_INPUT = { messages: [{ role: "user", content: "hello" }] };
const JSON_HEADERS = { "content-type": "application/json" };

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    instance.on("error", reject);
  });
}

export async function json<T>(
  pool: Pool,
  method: "GET" | "POST",
  route: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Record<string, unknown> }> {
  const res = await pool.request({
    path: route,
    method,
    headers: body === undefined ? {} : JSON_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (res.statusCode >= 300) throw new Error(`${method} ${route}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
  return { status: res.statusCode, body: parsed as T, headers: res.headers as Record<string, unknown> };
}

export async function createThread(pool: Pool): Promise<string> {
  const res = await json<{ thread_id: string }>(pool, "POST", "/threads", {});
  return res.body.thread_id;
}

export interface WaitFigure {
  /** new thread + wait run pairs completed with the echo answer, per second */
  perSecond: number;
  completed: number;
  seconds: number;
  failures: number;
  firstFailure?: string;
}

/** `POST /threads` then `POST /threads/{id}/runs/wait`, `connections` loops in parallel, for `seconds`. */
export async function waitThroughput(url: string, seconds: number, connections: number): Promise<WaitFigure> {
  let completed = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const fail = (what: string) => {
    failures += 1;
    firstFailure ??= what;
  };
  const result = await cannon({
    url,
    connections,
    duration: seconds,
    timeout: 60,
    headers: JSON_HEADERS,
    requests: [
      {
        method: "POST",
        path: "/threads",
        body: "{}",
        onResponse: (status, body, context) => {
          if (status !== 200) return fail(`POST /threads: HTTP ${status} ${body.slice(0, 200)}`);
          (context as Record<string, unknown>).thread_id = (JSON.parse(body) as { thread_id: string }).thread_id;
        },
      },
      {
        method: "POST",
        setupRequest: (req, context) => ({
          ...req,
          path: `/threads/${(context as Record<string, unknown>).thread_id as string}/runs/wait`,
          body: JSON.stringify({ assistant_id: "echo", input: ECHO_INPUT }),
        }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes("echo: hello")) completed += 1;
          else fail(`runs/wait: HTTP ${status} ${body.slice(0, 200)}`);
        },
      },
    ],
  });
  failures += result.errors;
  if (result.errors && !firstFailure) firstFailure = `${result.errors} connection errors/timeouts`;
  return { perSecond: completed / result.duration, completed, seconds: result.duration, failures, firstFailure };
}

/**
 * The runs/wait load spread over several processes of one server (a client-side balancer): the
 * `connections` are dealt round-robin to `urls`, each connection staying on its process (autocannon
 * takes one origin), so thread and run of a pair go to the same process; the figures are summed.
 */
export async function waitThroughputAcross(urls: string[], seconds: number, connections: number): Promise<WaitFigure> {
  if (urls.length === 1) return waitThroughput(urls[0], seconds, connections);
  const share = (i: number) => Math.floor(connections / urls.length) + (i < connections % urls.length ? 1 : 0);
  const parts = await Promise.all(urls.map((url, i) => waitThroughput(url, seconds, share(i))));
  const sum = (pick: (f: WaitFigure) => number) => parts.reduce((total, f) => total + pick(f), 0);
  return {
    perSecond: sum((f) => f.perSecond),
    completed: sum((f) => f.completed),
    seconds: Math.max(...parts.map((f) => f.seconds)),
    failures: sum((f) => f.failures),
    firstFailure: parts.find((f) => f.firstFailure)?.firstFailure,
  };
}

export interface RpsFigure {
  perSecond: number;
  total: number;
  failures: number;
  latencyP99: number;
}

/** GET `route` on `connections` connections for `seconds`: 2xx requests per second. */
export async function getRps(url: string, route: string, seconds: number, connections: number): Promise<RpsFigure> {
  const result = await cannon({ url: `${url}${route}`, connections, duration: seconds, timeout: 30 });
  const ok = result["2xx"];
  return {
    perSecond: ok / result.duration,
    total: ok,
    failures: result.errors + result.non2xx,
    latencyP99: result.latency.p99,
  };
}

export interface StreamLatencyFigure {
  /** ms from sending `runs/stream` to its first event */
  first: number[];
  /** ms from sending `runs/stream` to its last event */
  last: number[];
  completed: number;
  failures: number;
  firstFailure?: string;
}

/** Checks a `runs/stream` of the echo graph in `values` mode: metadata first, the answer in a values event. */
function echoStreamProblem(result: SseResult): string | null {
  if (result.error) return result.error;
  if (!result.complete) return "stream did not end";
  const events = result.events.filter((e) => e.event !== "end");
  if (events[0]?.event !== "metadata") return `first event is ${events[0]?.event ?? "missing"}, not metadata`;
  if (!events.some((e) => e.event === "values" && e.data.includes("echo: hello")))
    return "no values event with the answer";
  if (events.some((e) => e.event === "error")) return "error event";
  return null;
}

/**
 * `concurrency` loops, each: create a thread (untimed), then `POST /threads/{id}/runs/stream`
 * (values mode) timing its first and last event, for `seconds`. With several `url`s (processes of one
 * server) every request goes to the next one round-robin, so a thread is mostly created on one process
 * and streamed from another.
 */
export async function streamLatency(
  url: string | string[],
  seconds: number,
  concurrency: number,
): Promise<StreamLatencyFigure> {
  const urls = typeof url === "string" ? [url] : url;
  const pools = urls.map((u) => new Pool(u, { connections: concurrency * 2, pipelining: 1, keepAliveTimeout: 30_000 }));
  let turn = 0;
  const next = () => {
    const i = turn++ % urls.length;
    return { pool: pools[i], origin: urls[i] };
  };
  const figure: StreamLatencyFigure = { first: [], last: [], completed: 0, failures: 0 };
  const until = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      try {
        const threadId = await createThread(next().pool);
        const { pool, origin } = next();
        const t0 = performance.now();
        const result = await sse(pool, {
          origin,
          path: `/threads/${threadId}/runs/stream`,
          method: "POST",
          body: { assistant_id: "echo", input: ECHO_INPUT, stream_mode: ["values"] },
        });
        const problem = echoStreamProblem(result);
        if (problem) throw new Error(problem);
        figure.first.push(result.events[0].at - t0);
        figure.last.push(result.events[result.events.length - 1].at - t0);
        figure.completed += 1;
      } catch (err) {
        figure.failures += 1;
        figure.firstFailure ??= (err as Error).message;
        await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  await Promise.all(pools.map((p) => p.close()));
  return figure;
}

export function summarize(values: number[]) {
  return { p50: percentile(values, 50), p99: percentile(values, 99), n: values.length };
}

export interface CustomEventsFigure {
  perSecond: number;
  received: number;
  expected: number;
  seconds: number;
  problem?: string;
}

/** One client streams a run of the custom_events graph: its `count` custom events per second, request to last event. */
export async function customEventsRate(url: string, count: number): Promise<CustomEventsFigure> {
  const pool = new Pool(url, { connections: 2 });
  try {
    const threadId = await createThread(pool);
    let received = 0;
    let next = 0;
    let outOfOrder = 0;
    const t0 = performance.now();
    const result = await sse(pool, {
      origin: url,
      path: `/threads/${threadId}/runs/stream`,
      method: "POST",
      body: { assistant_id: "custom_events", input: {}, stream_mode: ["custom"], config: { configurable: { count } } },
      keepData: false,
      onEvent: (e) => {
        if (e.event !== "custom") return;
        const { i } = JSON.parse(e.data) as { i: number };
        if (i !== next) outOfOrder += 1;
        next = i + 1;
        received += 1;
      },
    });
    const lastCustom = [...result.events].reverse().find((e) => e.event === "custom");
    const seconds = ((lastCustom?.at ?? result.endedAt) - t0) / 1000;
    let problem: string | undefined = result.error;
    if (!problem && received !== count) problem = `received ${received} of ${count} custom events`;
    if (!problem && outOfOrder) problem = `${outOfOrder} custom events out of order`;
    return { perSecond: received / seconds, received, expected: count, seconds, problem };
  } finally {
    await pool.close();
  }
}

export interface OpenStreamsFigure {
  streams: number;
  runs: number;
  /** streams whose first event had arrived when the runs were released (all open at once) */
  openAtOnce: number;
  /** streams that received every event of their run, in order, and ended */
  complete: number;
  secondsToOpen: number;
  secondsToDeliver: number;
  /** VmRSS of the server with every stream open, MiB */
  rssOpenMiB: number;
  /** VmHWM of the server process after the figure, MiB */
  peakRssMiB: number;
  problems: string[];
}

/**
 * `streams` concurrently open SSE streams joined to `runs` long-running runs of the `hold`
 * graph. The runs are created first (background runs, resumable streams) and wait on a gate
 * file; the streams join with `Last-Event-ID: -1` in batches; once every stream has its
 * first event, the gate opens and each run emits `events` custom events and ends. Every
 * stream must receive all of them, in order, and end.
 */
export async function openStreams(
  server: { url: string; rssMiB(): number; peakRssMiB(): number },
  opts: { streams: number; runs: number; events: number; workDir: string; timeoutS: number },
): Promise<OpenStreamsFigure> {
  const { url } = server;
  const gate = path.join(opts.workDir, `gate-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const control = new Pool(url, { connections: 4 });
  const streamsPool = new Pool(url, {
    connections: opts.streams + 8,
    pipelining: 1,
    connectTimeout: 30_000,
    keepAliveTimeout: 60_000,
  });
  const problems: string[] = [];
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one signal for every stream
  const deadline = setTimeout(() => abort.abort(new Error("figure timed out")), opts.timeoutS * 1000);
  try {
    const runs: { threadId: string; runId: string }[] = [];
    for (let r = 0; r < opts.runs; r++) {
      const threadId = await createThread(control);
      const res = await json<{ run_id: string }>(control, "POST", `/threads/${threadId}/runs`, {
        assistant_id: "hold",
        input: {},
        stream_mode: ["custom"],
        stream_resumable: true,
        config: { configurable: { gate, count: opts.events, max_ms: opts.timeoutS * 1000 } },
      });
      runs.push({ threadId, runId: res.body.run_id });
    }

    const started = performance.now();
    const firstSeen = new Array<boolean>(opts.streams).fill(false);
    let opened = 0;
    let allOpen!: () => void;
    const allOpenPromise = new Promise<void>((resolve) => (allOpen = resolve));
    const results: Promise<{ result: SseResult; customs: number[] }>[] = [];
    const batch = 250;
    for (let s = 0; s < opts.streams; s++) {
      const run = runs[s % runs.length];
      const customs: number[] = [];
      results.push(
        sse(streamsPool, {
          origin: url,
          path: `/threads/${run.threadId}/runs/${run.runId}/stream`,
          headers: { "last-event-id": "-1" },
          signal: abort.signal,
          keepData: false,
          onEvent: (e) => {
            if (!firstSeen[s]) {
              firstSeen[s] = true;
              opened += 1;
              if (opened === opts.streams) allOpen();
            }
            if (e.event === "custom") customs.push((JSON.parse(e.data) as { i: number }).i);
          },
        }).then((result) => ({ result, customs })),
      );
      // Let each batch connect before the next, as a crowd of clients would arrive.
      if ((s + 1) % batch === 0) {
        const target = s + 1;
        while (opened < target && !abort.signal.aborted && performance.now() - started < opts.timeoutS * 500) {
          await sleep(20);
        }
      }
    }
    await Promise.race([allOpenPromise, sleep(opts.timeoutS * 500)]);
    const secondsToOpen = (performance.now() - started) / 1000;
    const openAtOnce = opened;
    const rssOpenMiB = server.rssMiB();
    if (openAtOnce < opts.streams)
      problems.push(`only ${openAtOnce} of ${opts.streams} streams had an event before release`);

    const released = performance.now();
    fs.writeFileSync(gate, "go");
    const settled = await Promise.all(results);
    const secondsToDeliver = (performance.now() - released) / 1000;
    let complete = 0;
    const reasons = new Map<string, number>();
    for (const { result, customs } of settled) {
      let reason: string | null = null;
      if (result.error) reason = result.error;
      else if (!result.complete) reason = "stream did not end";
      else if (customs.length !== opts.events) reason = `received ${customs.length} of ${opts.events} custom events`;
      else if (customs.some((i, k) => i !== k)) reason = "custom events out of order";
      if (reason === null) complete += 1;
      else reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    for (const [reason, n] of reasons) problems.push(`${n} streams: ${reason}`);
    return {
      streams: opts.streams,
      runs: opts.runs,
      openAtOnce,
      complete,
      secondsToOpen,
      secondsToDeliver,
      rssOpenMiB,
      peakRssMiB: server.peakRssMiB(),
      problems,
    };
  } finally {
    clearTimeout(deadline);
    abort.abort();
    fs.rmSync(gate, { force: true });
    await streamsPool.destroy().catch(() => undefined);
    await control.close().catch(() => undefined);
  }
}

/** A finished run's path and its `GET` body (for the GET figure and the Koa ceiling). */
export async function sampleRun(url: string): Promise<{ route: string; body: string }> {
  const pool = new Pool(url, { connections: 2 });
  try {
    const threadId = await createThread(pool);
    const res = await pool.request({
      path: `/threads/${threadId}/runs/wait`,
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ assistant_id: "echo", input: ECHO_INPUT }),
    });
    await res.body.text();
    const location = String(res.headers["content-location"] ?? "");
    const route = location.replace(/^https?:\/\/[^/]+/, "");
    if (!/\/threads\/[^/]+\/runs\/[^/]+$/.test(route)) throw new Error(`runs/wait gave no run location (${location})`);
    const got = await pool.request({ path: route, method: "GET" });
    const body = await got.body.text();
    if (got.statusCode !== 200) throw new Error(`GET ${route}: HTTP ${got.statusCode}`);
    return { route, body };
  } finally {
    await pool.close();
  }
}
