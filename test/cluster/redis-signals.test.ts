/**
 * RedisSignals against a real Redis (THREADGATE_TEST_REDIS_URL, default redis://127.0.0.1:6379): two
 * instances stand for two server processes, each test on a namespace of its own. The outage test runs
 * a throwaway redis-server of its own, kills it and starts it again on the same port. Without a Redis
 * the suite skips, saying why, unless THREADGATE_REQUIRE_REDIS=1 (CI), where it fails instead.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { openRedisSignals, type RedisSignals } from "../../src/cluster/redis-signals.ts";
import type { CancelSignal, SignalEvent } from "../../src/cluster/signals.ts";

const REDIS_URL = process.env.THREADGATE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const REDIS_SERVER = "/usr/bin/redis-server";

async function redisUnreachable(url: string): Promise<string | null> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 2000 });
  // connect() rejects with a bare "Connection is closed."; the 'error' event has the cause (ECONNREFUSED…).
  let cause: Error | undefined;
  probe.on("error", (err: Error) => void (cause ??= err));
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (err) {
    return (cause ?? (err as Error)).message;
  } finally {
    probe.disconnect();
  }
}

async function skipWithoutRedis(): Promise<boolean> {
  const reason = await redisUnreachable(REDIS_URL);
  if (reason === null) return false;
  if (process.env.THREADGATE_REQUIRE_REDIS === "1") {
    throw new Error(`THREADGATE_REQUIRE_REDIS=1 but no Redis at ${REDIS_URL}: ${reason}`);
  }
  console.warn(`the Redis cluster signals tests are skipped: no Redis at ${REDIS_URL} (${reason})`);
  return true;
}

const skip = await skipWithoutRedis();

/** A pino logger whose lines the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "debug" }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, warns: () => lines.filter((l) => l.level === 40), infos: () => lines.filter((l) => l.level === 30) };
}

const opened: RedisSignals[] = [];
async function open(url = REDIS_URL, namespace = randomUUID()) {
  const log = capturingLogger();
  const signals = await openRedisSignals({ url, namespace, logger: log.logger });
  opened.push(signals);
  return Object.assign(signals, { log });
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function recorder() {
  const events: SignalEvent[] = [];
  let ended = 0;
  return {
    events,
    ended: () => ended,
    handlers: { onEvents: (batch: SignalEvent[]) => void events.push(...batch), onEnd: () => void ended++ },
  };
}

const ev = (seq: number): SignalEvent => ({ seq, event: "values", data: JSON.stringify({ n: seq }) });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const spawned = new Set<ChildProcess>();
async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ["--port", String(port), "--save", "", "--appendonly", "no", "--daemonize", "no"], {
    stdio: "ignore",
  });
  spawned.add(child);
  child.once("exit", () => spawned.delete(child));
  const deadline = Date.now() + 10_000;
  while ((await redisUnreachable(`redis://127.0.0.1:${port}`)) !== null) {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await Promise.all([...spawned].map(stop));
});

describe.skipIf(skip)("Redis cluster signals", () => {
  it("carries a run's events from one process to a follower on another, in order, then its end", async () => {
    const namespace = randomUUID();
    const [a, b] = [await open(REDIS_URL, namespace), await open(REDIS_URL, namespace)];
    expect(a.live && b.live).toBe(true);
    const r = recorder();
    const unsubscribe = await b.followRun("run-1", r.handlers);
    a.publishEvents("run-1", [ev(0), ev(1)]);
    a.publishEvents("run-1", []);
    a.publishEvents("run-1", [ev(2)]);
    a.publishEvents("run-other", [ev(9)]);
    a.publishEnd("run-1");
    await waitFor(() => r.ended() === 1, "the end");
    expect(r.events).toEqual([ev(0), ev(1), ev(2)]);
    unsubscribe();
    unsubscribe(); // twice is harmless
  });

  it("shares one subscription between two followers; one leaving keeps the other", async () => {
    const namespace = randomUUID();
    const [a, b] = [await open(REDIS_URL, namespace), await open(REDIS_URL, namespace)];
    const [r1, r2] = [recorder(), recorder()];
    const un1 = await b.followRun("run-2", r1.handlers);
    const un2 = await b.followRun("run-2", r2.handlers);
    a.publishEvents("run-2", [ev(0)]);
    await waitFor(() => r1.events.length === 1 && r2.events.length === 1, "both followers");
    un1();
    a.publishEvents("run-2", [ev(1)]);
    a.publishEnd("run-2");
    await waitFor(() => r2.ended() === 1, "the end for the one left");
    expect(r2.events).toEqual([ev(0), ev(1)]);
    expect(r1.events).toEqual([ev(0)]);
    expect(r1.ended()).toBe(0);
    un2();
    // The last follower gone, the channel has no subscriber left.
    const admin = new Redis(REDIS_URL);
    const subscribers = async () =>
      Number(((await admin.pubsub("NUMSUB", `tg:${namespace}:run:run-2`)) as [string, number])[1]);
    try {
      const deadline = Date.now() + 5000;
      while ((await subscribers()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await subscribers()).toBe(0);
    } finally {
      admin.disconnect();
    }
  });

  it("keeps namespaces apart", async () => {
    const a = await open(REDIS_URL, randomUUID());
    const b = await open(REDIS_URL, randomUUID());
    const r = recorder();
    const wakes: string[] = [];
    b.onWake((t) => void wakes.push(t));
    await b.followRun("run-3", r.handlers);
    a.publishEvents("run-3", [ev(0)]);
    a.publishEnd("run-3");
    a.wake("thread-x");
    // A marker on b's own namespace shows that anything a sent before it would have arrived by now.
    b.wake("marker");
    await waitFor(() => wakes.includes("marker"), "the marker");
    expect(r.events).toEqual([]);
    expect(r.ended()).toBe(0);
    expect(wakes).toEqual(["marker"]);
  });

  it("delivers cancel, wake and ended across processes (and to the sender's own handlers)", async () => {
    const namespace = randomUUID();
    const [a, b] = [await open(REDIS_URL, namespace), await open(REDIS_URL, namespace)];
    const seen: string[] = [];
    const cancels: CancelSignal[] = [];
    b.onCancel((s) => void cancels.push(s));
    b.onWake((t) => void seen.push(`wake ${t}`));
    b.onRunEnded((r) => void seen.push(`ended ${r}`));
    const own: string[] = [];
    a.onWake((t) => void own.push(t));
    a.requestCancel({ run_id: "run-4", action: "rollback" });
    a.wake("thread-4");
    a.runEnded("run-4");
    await waitFor(() => cancels.length === 1 && seen.length === 2 && own.length === 1, "the signals");
    expect(cancels).toEqual([{ run_id: "run-4", action: "rollback" }]);
    expect(seen).toEqual(["wake thread-4", "ended run-4"]);
    expect(own).toEqual(["thread-4"]);
  });

  it("opens on an unreachable Redis within 3 s, not live, dropping publishes, with one warn line", async () => {
    const started = Date.now();
    const s = await open("redis://127.0.0.1:1");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(s.live).toBe(false);
    s.publishEvents("run-5", [ev(0)]);
    s.publishEnd("run-5");
    s.requestCancel({ run_id: "run-5", action: "interrupt" });
    s.wake("t");
    s.runEnded("run-5");
    const unsubscribe = await s.followRun("run-5", recorder().handlers);
    unsubscribe();
    await new Promise((r) => setTimeout(r, 1500)); // several retries
    expect(s.log.warns().map((l) => l.msg)).toEqual([
      "redis unavailable; runs across processes fall back to polling the database",
    ]);
    await s.close();
    await s.close();
  });

  it("survives an outage: live goes false, then true, and an earlier subscription hears later events", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let server = await startRedisServer(port);
    const namespace = randomUUID();
    const [a, b] = [await open(url, namespace), await open(url, namespace)];
    expect(a.live && b.live).toBe(true);
    const r = recorder();
    await b.followRun("run-6", r.handlers);
    a.publishEvents("run-6", [ev(0)]);
    await waitFor(() => r.events.length === 1, "an event before the outage");

    await stop(server);
    await waitFor(() => !a.live && !b.live, "live to go false");
    a.publishEvents("run-6", [ev(1)]); // dropped, and no throw
    // A reader arriving during the outage is not kept waiting (it polls), and is subscribed on recovery.
    const late = recorder();
    await b.followRun("run-6", late.handlers);
    await new Promise((r) => setTimeout(r, 1200)); // a few failed reconnects
    server = await startRedisServer(port);
    await waitFor(() => a.live && b.live, "live to come back");

    a.publishEvents("run-6", [ev(2)]);
    a.publishEnd("run-6");
    await waitFor(() => r.ended() === 1, "the end after the outage");
    expect(r.events).toEqual([ev(0), ev(2)]);
    await waitFor(() => late.ended() === 1, "the end for the reader who came during the outage");
    expect(late.events).toEqual([ev(2)]);
    for (const s of [a, b]) {
      expect(s.log.warns()).toHaveLength(1);
      expect(s.log.infos().map((l) => l.msg)).toEqual([
        "redis connected for cluster signals",
        "redis available again; runs across processes are signalled through it",
      ]);
    }
    await stop(server);
  });
});
