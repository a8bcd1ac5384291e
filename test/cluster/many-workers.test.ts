/**
 * Three server processes on one Postgres schema and one Redis, as a user runs them behind a load
 * balancer: a run created on one is streamed from another and cancelled from the third; the owner of
 * a run is killed (SIGKILL) and another resumes it from its checkpoint while a reader rejoins and sees
 * each event once; 200 enqueued runs on 20 threads spread across the processes run in order, each
 * once; a cron fires once across three schedulers; one Idempotency-Key sent to two processes at once
 * makes one run; Redis stopped mid-test (a Redis of the test's own) and runs still finish. Skips,
 * saying why, without Postgres or Redis, unless THREADGATE_REQUIRE_POSTGRES=1 (or _REDIS=1) says they must run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { createParser } from "eventsource-parser";
import { Redis } from "ioredis";
import { http, startServerProcess, waitFor, type ServerProcess } from "../helpers/server.ts";
import { dropSchema, POSTGRES_URL, skipWithoutPostgres } from "../helpers/postgres.ts";

const REDIS_URL = process.env.THREADGATE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisUnreachable(url: string): Promise<string | null> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    probe.disconnect();
  }
}

const noPostgres = await skipWithoutPostgres("the many-workers tests");
const noRedis = noPostgres ? null : await redisUnreachable(REDIS_URL);
if (noRedis && process.env.THREADGATE_REQUIRE_REDIS === "1")
  throw new Error(`the many-workers tests need Redis at ${REDIS_URL}: ${noRedis}`);
if (noRedis) console.warn(`the many-workers tests are skipped: no Redis at ${REDIS_URL} (${noRedis})`);
const skip = noPostgres || noRedis !== null;

const schema = `tg_cluster_${process.pid}_${Date.now() % 100_000}`;
const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: POSTGRES_URL,
  THREADGATE_POSTGRES_SCHEMA: schema,
  REDIS_URL,
  THREADGATE_RUN_LEASE_SECONDS: "2",
  THREADGATE_CLUSTER_POLL_MS: "200",
  THREADGATE_CRON_TICK_MS: "200",
  ...extra,
});

type Sse = { id: string | undefined; event: string; data: unknown };

/** An SSE stream over plain HTTP, keeping each event's `id:` (the SDK hides it). */
function readSse(url: string, init: RequestInit = {}) {
  const events: Sse[] = [];
  const controller = new AbortController();
  const done = (async () => {
    const res = await fetch(url, { ...init, signal: controller.signal });
    if (!res.ok || !res.body) throw new Error(`${url}: ${res.status}`);
    const parser = createParser({
      onEvent: (e) => events.push({ id: e.id, event: e.event ?? "message", data: JSON.parse(e.data) }),
    });
    const decoder = new TextDecoder();
    for await (const chunk of res.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
  })().catch((err: unknown) => (controller.signal.aborted ? undefined : err));
  return { events, done, stop: () => controller.abort() };
}

describe.skipIf(skip)("three server processes on one Postgres and Redis", () => {
  const procs: ServerProcess[] = [];
  const client = (i: number) => new Client({ apiUrl: procs[i].url, callerOptions: { maxRetries: 0 } });

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) procs.push(await startServerProcess(env()));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill()));
    if (!skip) await dropSchema(schema);
  });

  it("a run created on A is streamed from B and cancelled from C", async () => {
    const thread = await client(0).threads.create();
    const run = await client(0).runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 200 } },
      streamMode: ["custom"],
    });
    const seen: { event: string; data: unknown }[] = [];
    const reading = (async () => {
      for await (const c of client(1).runs.joinStream(thread.thread_id, run.run_id, { streamMode: ["custom"] }))
        seen.push(c);
    })();
    await waitFor(async () => seen.filter((c) => c.event === "custom").length >= 2, 20_000);
    await client(2).runs.cancel(thread.thread_id, run.run_id, true, "interrupt");
    expect((await client(1).runs.get(thread.thread_id, run.run_id)).status).toBe("interrupted");
    await reading; // the stream on B ends with the run
    const steps = seen.filter((c) => c.event === "custom").map((c) => (c.data as { step: number }).step);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
    expect(steps.length).toBeLessThan(20);
  }, 60_000);

  it("kill -9 of a run's owner: another process resumes it from its checkpoint; a reader that rejoins sees each event once", async () => {
    const owner = await startServerProcess(env());
    const thread = await new Client({ apiUrl: owner.url }).threads.create();
    const run = await new Client({ apiUrl: owner.url }).runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 12, step_ms: 250 } },
      streamMode: ["custom"],
    });
    const path = `/threads/${thread.thread_id}/runs/${run.run_id}/stream`;
    const first = readSse(owner.url + path);
    await waitFor(async () => first.events.filter((e) => e.event === "custom").length >= 3, 20_000);
    await owner.kill();
    await first.done;
    const lastId = first.events.at(-1)!.id!;
    // Rejoined on another process from the last id seen: the rest, once.
    const rest = readSse(procs[1].url + path, { headers: { "Last-Event-ID": lastId } });
    await rest.done;
    const all = [...first.events, ...rest.events];
    const ids = all.map((e) => Number(e.id));
    expect(ids).toEqual(ids.map((_, i) => i));
    expect(all.filter((e) => e.event === "metadata").map((e) => e.data)).toEqual([
      { run_id: run.run_id, attempt: 1 },
      { run_id: run.run_id, attempt: 2 },
    ]);
    const record = (await http(procs[2].url, "GET", `/threads/${thread.thread_id}/runs/${run.run_id}`)).json;
    expect(record).toMatchObject({ status: "success", attempt: 2 });
    const state = await client(2).threads.getState<{ steps: string[] }>(thread.thread_id);
    expect(state.values.steps).toEqual(Array.from({ length: 12 }, (_, i) => `step-${i + 1}`));
  }, 90_000);

  it("multitask strategies hold across processes: interrupt and rollback stop a run executing on another", async () => {
    for (const strategy of ["interrupt", "rollback"] as const) {
      const thread = await client(0).threads.create();
      const old = await client(0).runs.create(thread.thread_id, "slow", {
        input: {},
        config: { configurable: { total_steps: 20, step_ms: 200 } },
      });
      await waitFor(async () => (await client(2).runs.get(thread.thread_id, old.run_id)).status === "running");
      const newer = await client(1).runs.create(thread.thread_id, "slow", {
        input: {},
        config: { configurable: { total_steps: 1, step_ms: 1 } },
        multitaskStrategy: strategy,
      });
      await client(2).runs.join(thread.thread_id, newer.run_id);
      expect((await client(2).runs.get(thread.thread_id, newer.run_id)).status).toBe("success");
      const replaced = await http(procs[2].url, "GET", `/threads/${thread.thread_id}/runs/${old.run_id}`);
      if (strategy === "interrupt") expect(replaced.json.status).toBe("interrupted");
      else expect(replaced.status).toBe(404); // a rollback removes the run it replaces
    }
  }, 60_000);

  it("SIGTERM of a run's owner hands the run back: another process resumes it (attempt 2) and it succeeds", async () => {
    const owner = await startServerProcess(env({ THREADGATE_SHUTDOWN_GRACE_SECONDS: "0" }));
    const thread = await new Client({ apiUrl: owner.url }).threads.create();
    const run = await new Client({ apiUrl: owner.url }).runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 8, step_ms: 200 } },
    });
    await waitFor(async () => {
      const s = await client(0).threads.getState<{ steps?: string[] }>(thread.thread_id);
      return ((s.values as { steps?: string[] }).steps?.length ?? 0) >= 2;
    }, 20_000);
    const exited = new Promise((resolve) => owner.child.once("exit", resolve));
    owner.child.kill("SIGTERM");
    await exited;
    await client(1).runs.join(thread.thread_id, run.run_id);
    const record = (await http(procs[1].url, "GET", `/threads/${thread.thread_id}/runs/${run.run_id}`)).json;
    expect(record).toMatchObject({ status: "success", attempt: 2 });
    const state = await client(2).threads.getState<{ steps: string[] }>(thread.thread_id);
    expect(state.values.steps).toEqual(Array.from({ length: 8 }, (_, i) => `step-${i + 1}`));
  }, 60_000);

  it("200 enqueued runs on 20 threads, created across the processes: each thread's in order, none twice", async () => {
    const threads = await Promise.all(Array.from({ length: 20 }, (_, i) => client(i % 3).threads.create()));
    const created: { thread: string; run: string; n: number }[] = [];
    await Promise.all(
      threads.map(async (t, ti) => {
        for (let n = 0; n < 10; n++) {
          const run = await client((ti + n) % 3).runs.create(t.thread_id, "slow", {
            input: { steps: [] },
            config: { configurable: { total_steps: 1, step_ms: 5 } },
            multitaskStrategy: "enqueue",
            metadata: { n },
          });
          created.push({ thread: t.thread_id, run: run.run_id, n });
        }
      }),
    );
    for (const t of threads) {
      const runs = created.filter((c) => c.thread === t.thread_id);
      await client(0).runs.join(t.thread_id, runs.at(-1)!.run);
      // Each run added one step, in creation order: ten steps, none twice.
      const state = await client(1).threads.getState<{ steps: string[] }>(t.thread_id);
      expect(state.values.steps).toHaveLength(10);
      const history = await client(2).runs.list(t.thread_id, { limit: 20 });
      expect(history.every((r) => r.status === "success")).toBe(true);
      const started = [...history].sort((a, b) => a.created_at.localeCompare(b.created_at));
      expect(started.map((r) => (r.metadata as { n: number }).n)).toEqual([...Array(10).keys()]);
      // One run at a time per thread: each started after the one before had ended.
      for (let i = 1; i < started.length; i++) expect(started[i].updated_at >= started[i - 1].updated_at).toBe(true);
    }
  }, 180_000);

  it("a cron fires once per slot across the three schedulers", async () => {
    const thread = await client(0).threads.create();
    const cron = await client(0).crons.createForThread(thread.thread_id, "echo", {
      schedule: "*/2 * * * * *",
      input: { messages: [{ type: "human", content: "tick" }] },
    });
    await new Promise((r) => setTimeout(r, 7_000));
    await client(1).crons.delete(cron.cron_id);
    const runs = await client(2).runs.list(thread.thread_id, { limit: 100 });
    // One run per 2-second slot: no two started within a slot, though three schedulers tick every 200 ms.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const starts = runs.map((r) => Date.parse(r.created_at)).sort((x, y) => x - y);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThan(1_500);
  }, 30_000);

  it("one Idempotency-Key sent to two processes at once makes one run", async () => {
    const thread = await client(0).threads.create();
    const body = { assistant_id: "echo", input: { messages: [] } };
    const headers = { "Idempotency-Key": `key-${Date.now()}` };
    const [a, b] = await Promise.all(
      [0, 1].map((i) => http(procs[i].url, "POST", `/threads/${thread.thread_id}/runs`, body, headers)),
    );
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.json.run_id).toBe(b.json.run_id);
    expect(await client(2).runs.list(thread.thread_id)).toHaveLength(1);
  }, 30_000);
});

/** A free TCP port on loopback. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(skip)("Redis stopped mid-test", () => {
  it("runs still finish across processes, by polling the database; the logs say so", async () => {
    const port = await freePort();
    const startRedis = () =>
      spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const redis: ChildProcess = startRedis();
    const url = `redis://127.0.0.1:${port}`;
    await waitFor(async () => (await redisUnreachable(url)) === null, 10_000);
    const mine = `${schema}_r`;
    const settings = env({ REDIS_URL: url, THREADGATE_POSTGRES_SCHEMA: mine });
    const a = await startServerProcess(settings);
    const b = await startServerProcess(settings);
    let logs = "";
    b.child.stdout!.on("data", (d: Buffer) => (logs += d.toString()));
    try {
      redis.kill("SIGKILL");
      await new Promise((resolve) => redis.once("exit", resolve));
      const thread = await new Client({ apiUrl: a.url }).threads.create();
      // Created on A, queued behind a run, joined on B: B learns of its end from the database.
      const blocking = await new Client({ apiUrl: a.url }).runs.create(thread.thread_id, "slow", {
        input: {},
        config: { configurable: { total_steps: 3, step_ms: 100 } },
      });
      const queued = await new Client({ apiUrl: b.url }).runs.create(thread.thread_id, "slow", {
        input: {},
        config: { configurable: { total_steps: 5, step_ms: 10 } }, // two steps more, after the first run's three
        multitaskStrategy: "enqueue",
      });
      const other = new Client({ apiUrl: b.url, callerOptions: { maxRetries: 0 } });
      await other.runs.join(thread.thread_id, blocking.run_id);
      await other.runs.join(thread.thread_id, queued.run_id);
      expect((await other.runs.get(thread.thread_id, queued.run_id)).status).toBe("success");
      const state = await other.threads.getState<{ steps: string[] }>(thread.thread_id);
      expect(state.values.steps).toHaveLength(5);
      expect(logs).toMatch(/redis unavailable/);
    } finally {
      redis.kill("SIGKILL");
      await Promise.all([a.kill(), b.kill()]);
      await dropSchema(mine);
    }
  }, 90_000);
});
