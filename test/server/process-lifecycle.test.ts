/**
 * The server process's life: one process per data folder (a second one on the same files is refused at
 * start, naming the file and the other process; the lock dies with its holder, even by kill -9), and
 * shutdown (SIGTERM/SIGINT: new runs refused, runs in flight get a grace period, then are handed back,
 * to be resumed from their last checkpoint at the next start; queued runs stay pending for it).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { http, startServerProcess, startTestServer, waitFor, type ServerProcess } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/cleanup.ts";

const cleanup = cleanupAfterEach();
const tempDb = cleanup.tempDb;

async function serverProcess(env: Record<string, string>): Promise<ServerProcess> {
  const proc = await startServerProcess(env);
  cleanup.add(() => proc.kill());
  return proc;
}

describe("one process per data folder", () => {
  it("a second process on the same database exits non-zero, naming the file and the first process", async () => {
    const dbPath = tempDb();
    const first = await serverProcess({ THREADGATE_SQLITE_PATH: dbPath });
    const second = startServerProcess({ THREADGATE_SQLITE_PATH: dbPath });
    const err: Error = await second.then(
      async (proc) => {
        await proc.kill();
        throw new Error("the second process started");
      },
      (e: Error) => e,
    );
    expect(err.message).toMatch(/server exited \(1\) before listening/);
    expect(err.message).toContain(dbPath);
    expect(err.message).toContain(`pid ${first.child.pid}`);
    expect(err.message).toContain(first.url);
    // The first one is untouched and serves on.
    const client = new Client({ apiUrl: first.url, callerOptions: { maxRetries: 0 } });
    const thread = await client.threads.create();
    expect(await client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } })).toEqual({
      value: ["first", "second"],
    });
  }, 120_000);

  it("a process killed with SIGKILL leaves no lock: a new one starts on its files at once", async () => {
    const dbPath = tempDb();
    const first = await serverProcess({ THREADGATE_SQLITE_PATH: dbPath });
    const client = new Client({ apiUrl: first.url, callerOptions: { maxRetries: 0 } });
    const thread = await client.threads.create();
    await first.kill();
    const second = await serverProcess({ THREADGATE_SQLITE_PATH: dbPath });
    const again = new Client({ apiUrl: second.url, callerOptions: { maxRetries: 0 } });
    expect((await again.threads.get(thread.thread_id)).thread_id).toBe(thread.thread_id);
  }, 120_000);

  it("in one process, a second startServer() on the same file is refused until the first has stopped", async () => {
    const dbPath = tempDb();
    const first = await startTestServer({ sqlitePath: dbPath });
    cleanup.add(() => first.stop());
    await expect(startTestServer({ sqlitePath: dbPath })).rejects.toThrow(
      new RegExp(`${dbPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*pid ${process.pid}`, "s"),
    );
    // The refused start left nothing behind: the first still serves, and once it stops the file is free.
    const thread = await first.client.threads.create();
    await first.stop();
    const second = await startTestServer({ sqlitePath: dbPath });
    cleanup.add(() => second.stop());
    expect((await second.client.threads.get(thread.thread_id)).thread_id).toBe(thread.thread_id);
  });

  it("an in-memory database needs no lock: two servers on :memory: both start", async () => {
    const a = await startTestServer({ sqlitePath: ":memory:" });
    cleanup.add(() => a.stop());
    const b = await startTestServer({ sqlitePath: ":memory:" });
    cleanup.add(() => b.stop());
    expect((await a.client.threads.create()).thread_id).not.toBe((await b.client.threads.create()).thread_id);
  });
});

type Chunk = { event: string; data: any };

/** Reads a stream to its end in the background; `chunks` fills as events come. */
function collect(stream: AsyncIterable<unknown>): { chunks: Chunk[]; done: Promise<void> } {
  const chunks: Chunk[] = [];
  const done = (async () => {
    for await (const c of stream) chunks.push(c as Chunk);
  })();
  return { chunks, done };
}

describe("shutdown (SIGTERM)", () => {
  it("refuses new runs with 503, lets runs finish within the grace period, hands the rest back to be resumed at the next start (attempt 2), and keeps queued runs", async () => {
    const dbPath = tempDb();
    const gate = (name: string) => path.join(path.dirname(dbPath), `${name}.open`);
    const env = { THREADGATE_SQLITE_PATH: dbPath, THREADGATE_SHUTDOWN_GRACE_SECONDS: "10" };
    const proc = await serverProcess(env);
    const client = new Client({ apiUrl: proc.url, callerOptions: { maxRetries: 0 } });
    const gated = (name: string, extra: Record<string, unknown> = {}) => ({
      input: {},
      config: { configurable: { gate_file: gate(name) } },
      ...extra,
    });

    // In flight at SIGTERM: a streamed run, a waited run, a run that will finish within the grace period,
    // and a run with a queued run behind it on its thread.
    const [streamed, waited, finishing, queuedOn] = await Promise.all([1, 2, 3, 4].map(() => client.threads.create()));
    const stream = collect(
      client.runs.stream(streamed.thread_id, "gate", { ...gated("never"), streamMode: ["custom"] }),
    );
    const wait = http(proc.url, "POST", `/threads/${waited.thread_id}/runs/wait`, {
      assistant_id: "gate",
      ...gated("never"),
    });
    const finishingRun = await client.runs.create(finishing.thread_id, "gate", gated("finishing"));
    const blocking = await client.runs.create(queuedOn.thread_id, "gate", gated("never"));
    const queued = await client.runs.create(queuedOn.thread_id, "two_node", {
      input: { value: [] },
      multitaskStrategy: "enqueue",
    });
    await waitFor(async () => stream.chunks.some((c) => c.event === "custom"), 30_000);
    await waitFor(async () => {
      const runs = await Promise.all(
        [waited, finishing, queuedOn].map((t) => client.runs.list(t.thread_id, { status: "running" })),
      );
      return runs.every((r) => r.length === 1);
    }, 30_000);
    expect((await client.runs.get(queuedOn.thread_id, queued.run_id)).status).toBe("pending");

    const exited = new Promise<number | null>((resolve) => proc.child.once("exit", (code) => resolve(code)));
    proc.child.kill("SIGTERM");

    // While the runs in flight have their grace period: no new runs, in the JSON envelope, with Retry-After.
    const refused = await waitFor(async () => {
      const res = await http(proc.url, "POST", "/runs/wait", { assistant_id: "two_node", input: { value: [] } });
      return res.status === 503 ? res : null;
    }, 5_000);
    expect(refused.json.detail).toMatch(/shutting down/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const refusedOnThread = await http(proc.url, "POST", `/threads/${finishing.thread_id}/runs`, {
      assistant_id: "two_node",
      input: { value: [] },
      multitask_strategy: "enqueue",
    });
    expect(refusedOnThread.status).toBe(503);
    // A run that ends within the grace period ends as it would have.
    fs.writeFileSync(gate("finishing"), "");

    expect(await exited).toBe(0);
    // The stream closes without an end of its own (the run is not over), so the SDK rejoins it at once:
    // here there is nothing left to rejoin (behind a load balancer, another worker would answer).
    const streamEnd = await stream.done.then(
      () => "ended",
      (err: unknown) => String(err),
    );
    expect(streamEnd).toMatch(/Unable to connect/);
    expect(stream.chunks.some((c) => c.event === "error")).toBe(false);
    // `runs/wait` says where the run went.
    const waitedAnswer = await wait;
    expect(waitedAnswer.status).toBe(200);
    expect(waitedAnswer.json.__error__).toMatchObject({ error: "ServerShutdown" });
    expect(waitedAnswer.json.__error__.message).toMatch(/handed back/);

    // After a restart on the same files the handed-back runs are resumed (a second attempt) and finish.
    fs.writeFileSync(gate("never"), "");
    const next = await serverProcess(env);
    const again = new Client({ apiUrl: next.url, callerOptions: { maxRetries: 0 } });
    const streamedRun = (await again.runs.list(streamed.thread_id))[0];
    const waitedRun = (await again.runs.list(waited.thread_id))[0];
    for (const [t, runId] of [
      [streamed, streamedRun.run_id],
      [waited, waitedRun.run_id],
      [queuedOn, blocking.run_id],
    ] as const) {
      await again.runs.join(t.thread_id, runId);
      const record = (await http(next.url, "GET", `/threads/${t.thread_id}/runs/${runId}`)).json;
      expect(record).toMatchObject({ status: "success", attempt: 2, error: null });
    }
    for (const t of [streamed, waited]) expect((await again.threads.get(t.thread_id)).status).toBe("idle");
    expect((await again.runs.get(finishing.thread_id, finishingRun.run_id)).status).toBe("success");
    expect(await again.threads.getState(finishing.thread_id)).toMatchObject({ values: { opened: true } });
    // The queued run stayed pending through the shutdown and runs after the resumed one.
    expect(await again.runs.join(queuedOn.thread_id, queued.run_id)).toEqual({ value: ["first", "second"] });
    expect((await again.runs.get(queuedOn.thread_id, queued.run_id)).status).toBe("success");
    // Joining the handed-back stream replays both attempts, each announced by its metadata event.
    const replay = [];
    for await (const c of again.runs.joinStream(streamed.thread_id, streamedRun.run_id)) replay.push(c as Chunk);
    expect(replay.filter((c) => c.event === "metadata").map((c) => c.data)).toEqual([
      { run_id: streamedRun.run_id, attempt: 1 },
      { run_id: streamedRun.run_id, attempt: 2 },
    ]);
    expect(replay.some((c) => c.event === "error")).toBe(false);
  }, 180_000);
});
