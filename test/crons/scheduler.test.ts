/**
 * The cron scheduler over a real server and its SQLite file: runs are ordinary runs (listed on the
 * thread), one per slot; a stateless cron makes a thread per run and deletes it when done (default);
 * a restart between slots loses nothing and fires a missed slot once; ticks racing each other (many at
 * once, from two schedulers over the same database) never start one slot twice. Where the test needs
 * time under its control the server's own scheduler ticks once a minute, and schedulers with a clock
 * of the test's drive the crons (the stores and run manager are the server's, unmocked).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Cron } from "croner";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/cleanup.ts";
import { CronScheduler } from "../../src/runtime/crons/scheduler.ts";
import { createLogger } from "../../src/logger.ts";

const cleanup = cleanupAfterEach();
const silent = createLogger("silent");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The run fields of a run that is admitted but waits (10 years): admission without execution. */
const PARKED = { afterSeconds: 315_360_000, multitaskStrategy: "enqueue" as const };

async function server(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const t = await startTestServer(overrides);
  cleanup.add(() => t.close());
  return t;
}

/** A scheduler of the test over the server's stores and run manager, at the time `now()` says. */
function schedulerOf(t: TestServer, now: () => Date): CronScheduler {
  const { stores, runs } = t.server.services;
  return new CronScheduler(stores, runs, silent, { tickMs: 60_000, clock: now });
}

async function runsOf(t: TestServer, threadId: string) {
  return (await t.client.runs.list(threadId, { limit: 1000 })).filter(
    (r) => (r as unknown as { kwargs: { cron_id?: string } }).kwargs.cron_id,
  );
}

async function nextRunDate(t: TestServer, cronId: string): Promise<string> {
  const cron = await t.server.services.stores.crons.get(cronId);
  return cron!.next_run_date!;
}

describe("the scheduler, in real time", () => {
  afterEach(() => undefined);

  it("a cron every 2 s on a thread starts one ordinary run per slot", async () => {
    const t = await server({ cronTickMs: 50 });
    const thread = await t.client.threads.create();
    const cron = await t.client.crons.createForThread(thread.thread_id, "echo", {
      schedule: "*/2 * * * * *",
      input: { messages: [{ role: "user", content: "tick" }] },
    });
    await waitFor(async () => (await runsOf(t, thread.thread_id)).length >= 3, 15_000);
    await t.client.crons.delete(cron.cron_id);
    const runs = await runsOf(t, thread.thread_id);
    // One per 2-second slot: no two in the same slot, and each an ordinary, finished run of the thread.
    const slots = runs.map((r) => Math.floor(Date.parse(r.created_at) / 2000));
    expect(new Set(slots).size).toBe(runs.length);
    await waitFor(async () => (await runsOf(t, thread.thread_id)).every((r) => r.status === "success"));
    const state = await t.client.threads.getState(thread.thread_id);
    expect((state.values as { messages: unknown[] }).messages.length).toBe(2 * runs.length);
  });

  it("a stateless cron makes a new thread per run and deletes it when the run is done (default), or keeps it", async () => {
    const received: { thread_id: string; status: string }[] = [];
    const hook = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        received.push(JSON.parse(body));
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    cleanup.add(() => new Promise<void>((resolve) => hook.close(() => resolve())));
    const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const t = await server({ cronTickMs: 50, webhookAllowedHosts: ["127.0.0.1"] });
    const deleting = await t.client.crons.create("echo", { schedule: "*/2 * * * * *", webhook, input: {} });
    await waitFor(async () => received.length >= 2, 15_000);
    await t.client.crons.delete(deleting.cron_id);
    const threads = new Set(received.map((r) => r.thread_id));
    expect(threads.size).toBe(received.length);
    await sleep(300);
    for (const threadId of threads) await expect(t.client.threads.get(threadId)).rejects.toThrow(/404/);

    const kept: string[] = [];
    const keeping = await t.client.crons.create("echo", { schedule: "*/2 * * * * *", onRunCompleted: "keep" });
    await waitFor(async () => {
      const found = await t.client.threads.search({ metadata: { graph_id: "echo" }, limit: 100 });
      kept.splice(0, kept.length, ...found.map((th) => th.thread_id));
      return kept.length >= 2;
    }, 15_000);
    await t.client.crons.delete(keeping.cron_id);
    // Each kept thread outlives its run (the last one found may still be running): still there once it is done.
    for (const threadId of kept) {
      const done = await waitFor(async () => {
        const thread = await t.client.threads.get(threadId);
        return thread.status !== "busy" && thread;
      }, 15_000);
      expect(done.thread_id).toBe(threadId);
    }
  });

  it("survives a restart between slots: it goes on firing on the same data, never twice for one slot", async () => {
    const first = await startTestServer({ cronTickMs: 50 });
    const dbPath = first.dbPath;
    const thread = await first.client.threads.create();
    await first.client.crons.createForThread(thread.thread_id, "echo", { schedule: "*/2 * * * * *", input: {} });
    await waitFor(async () => (await runsOf(first, thread.thread_id)).length >= 1, 15_000);
    await first.stop();
    const before = await (async () => {
      await sleep(4_500); // at least two slots go by while the server is down
      return Date.now();
    })();
    const second = await server({ cronTickMs: 50, sqlitePath: dbPath });
    await waitFor(async () => {
      const after = (await runsOf(second, thread.thread_id)).filter((r) => Date.parse(r.created_at) >= before);
      return after.length >= 2;
    }, 15_000);
    const runs = await runsOf(second, thread.thread_id);
    const slots = runs.map((r) => Math.floor(Date.parse(r.created_at) / 2000));
    expect(new Set(slots).size).toBe(runs.length);
  });
});

describe("the scheduler, on a clock of the test's", () => {
  it("a slot missed while the server was down fires once at boot, then the next future slot", async () => {
    const first = await startTestServer({ cronTickMs: 60_000 });
    const thread = await first.client.threads.create();
    const cron = await first.client.crons.createForThread(thread.thread_id, "echo", {
      schedule: "*/2 * * * * *",
      ...PARKED,
    });
    const due = Date.parse(await nextRunDate(first, cron.cron_id));
    await first.stop();
    const second = await server({ cronTickMs: 60_000, sqlitePath: first.dbPath });
    // Ten slots later: one run, and the next slot is the first after "now".
    let now = new Date(due + 20_000 + 500);
    const scheduler = schedulerOf(second, () => now);
    expect(await scheduler.tick()).toHaveLength(1);
    expect(await scheduler.tick()).toHaveLength(0);
    expect(await nextRunDate(second, cron.cron_id)).toBe(new Date(due + 22_000).toISOString());
    now = new Date(due + 22_000);
    expect(await scheduler.tick()).toHaveLength(1);
    expect(await runsOf(second, thread.thread_id)).toHaveLength(2);
  });

  it("end_time stops it; enabled: false does not fire; enabling again resumes from now", async () => {
    const t = await server({ cronTickMs: 60_000 });
    const thread = await t.client.threads.create();
    const endTime = new Date(Date.now() + 4_500).toISOString();
    const cron = await t.client.crons.createForThread(thread.thread_id, "echo", {
      schedule: "*/2 * * * * *",
      endTime,
      ...PARKED,
    });
    let now = new Date(Date.now() + 60_000);
    const scheduler = schedulerOf(t, () => now);
    expect(await scheduler.tick()).toHaveLength(1); // the slot before end_time
    expect(await nextRunDate(t, cron.cron_id).catch(() => null)).toBeNull();
    expect(await scheduler.tick()).toHaveLength(0);

    await t.client.crons.update(cron.cron_id, { endTime: null as unknown as string, enabled: false });
    now = new Date(Date.now() + 120_000);
    expect(await scheduler.tick()).toHaveLength(0);
    await t.client.crons.update(cron.cron_id, { enabled: true });
    expect(await scheduler.tick()).toHaveLength(1);
    expect(await runsOf(t, thread.thread_id)).toHaveLength(2);
  });

  it("ticks racing each other (8 at once from two schedulers over one database) start each slot once, 300 times", async () => {
    const t = await server({ cronTickMs: 60_000 });
    const thread = await t.client.threads.create();
    const cron = await t.client.crons.createForThread(thread.thread_id, "echo", { schedule: "0 0 1 1 *", ...PARKED });
    let now = new Date(0);
    const a = schedulerOf(t, () => now);
    const b = schedulerOf(t, () => now);
    const iterations = 300;
    for (let i = 0; i < iterations; i++) {
      now = new Date(Date.parse(await nextRunDate(t, cron.cron_id)) + 1);
      const started = await Promise.all([a, b, a, b, a, b, a, b].map((s) => s.tick()));
      expect(started.flat(), `slot ${i}`).toHaveLength(1);
    }
    expect(await runsOf(t, thread.thread_id)).toHaveLength(iterations);
  });

  it("a stateless cron's racing ticks make one thread per slot (the loser writes nothing), 100 times", async () => {
    const t = await server({ cronTickMs: 60_000 });
    const cron = await t.client.crons.create("echo", { schedule: "0 0 1 1 *", onRunCompleted: "keep", ...PARKED });
    let now = new Date(0);
    const a = schedulerOf(t, () => now);
    const b = schedulerOf(t, () => now);
    const iterations = 100;
    for (let i = 0; i < iterations; i++) {
      now = new Date(Date.parse(await nextRunDate(t, cron.cron_id)) + 1);
      const started = await Promise.all([a, b, a, b].map((s) => s.tick()));
      expect(started.flat(), `slot ${i}`).toHaveLength(1);
    }
    expect(await t.client.threads.count({ metadata: { graph_id: "echo" } })).toBe(iterations);
  });

  it("a slot whose run is refused (thread busy under reject) is skipped, not retried every tick", async () => {
    const t = await server({ cronTickMs: 60_000 });
    const thread = await t.client.threads.create();
    const cron = await t.client.crons.createForThread(thread.thread_id, "echo", {
      schedule: "*/2 * * * * *",
      afterSeconds: 315_360_000, // the first run parks, and the thread stays busy
    });
    const due = Date.parse(await nextRunDate(t, cron.cron_id));
    let now = new Date(due);
    const scheduler = schedulerOf(t, () => now);
    expect(await scheduler.tick()).toHaveLength(1);
    now = new Date(due + 2_000);
    expect(await scheduler.tick()).toHaveLength(0);
    expect(await nextRunDate(t, cron.cron_id)).toBe(new Date(due + 4_000).toISOString());
    expect(await runsOf(t, thread.thread_id)).toHaveLength(1);
    expect(new Cron("*/2 * * * * *").nextRun(new Date(due))!.getTime()).toBe(due + 2_000);
  });
});
