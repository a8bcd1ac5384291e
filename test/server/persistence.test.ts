/** What survives a restart: threads, runs, events, checkpoints — and runs a crash left behind. */
import { describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { openSqliteStores } from "../../src/stores/sqlite/index.ts";
import { http, startServerProcess, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/cleanup.ts";

const cleanup = cleanupAfterEach();

function track(t: TestServer): TestServer {
  cleanup.add(() => t.close());
  return t;
}

describe("persistence", () => {
  it("a server restarted on the same file still has the thread, its runs, events and state", async () => {
    const first = await startTestServer();
    const thread = await first.client.threads.create({ metadata: { owner: "alice" } });
    const values = await first.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
    const [run] = await first.client.runs.list(thread.thread_id);
    const events = [];
    for await (const c of first.client.runs.joinStream(thread.thread_id, run.run_id)) events.push(c);
    await first.stop();

    const second = track(await startTestServer({ sqlitePath: first.dbPath }));
    const again = await second.client.threads.get(thread.thread_id);
    expect(again.metadata).toMatchObject({ owner: "alice", graph_id: "two_node" });
    expect(again.status).toBe("idle");
    const runs = await second.client.runs.list(thread.thread_id);
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([[run.run_id, "success"]]);
    const state = await second.client.threads.getState(thread.thread_id);
    expect(state.values).toEqual(values);
    expect(state.checkpoint?.checkpoint_id).toBeTruthy();
    const replayed = [];
    for await (const c of second.client.runs.joinStream(thread.thread_id, run.run_id)) replayed.push(c);
    expect(replayed).toEqual(events);

    // The thread goes on from its checkpoint.
    const more = await second.client.runs.wait(thread.thread_id, "two_node", { input: { value: ["again"] } });
    expect(more).toEqual({ value: ["first", "second", "again", "first", "second"] });
  });

  it("a thread left busy by a process that died after its run ended is settled at the next start", async () => {
    const first = await startTestServer();
    const thread = await first.client.threads.create();
    const values = await first.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
    await first.stop();
    // The crash window: the run's final status was written, its thread's settling was not.
    const stores = await openSqliteStores({ path: first.dbPath });
    await stores.threads.update(thread.thread_id, { status: "busy" });
    await stores.close();

    const second = track(await startTestServer({ sqlitePath: first.dbPath }));
    const again = await second.client.threads.get(thread.thread_id);
    expect(again.status).toBe("idle");
    expect(again.values).toEqual(values);
  });

  it("a run that was executing when the process died is resumed from its last checkpoint at the next start, attempt 2", async () => {
    const dbPath = cleanup.tempDb();
    const proc = await startServerProcess({ THREADGATE_SQLITE_PATH: dbPath });
    cleanup.add(() => proc.kill());
    const client = new Client({ apiUrl: proc.url, callerOptions: { maxRetries: 0 } });

    const thread = await client.threads.create();
    const run = await client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 12, step_ms: 150 } },
    });
    await waitFor(async () => {
      const s = await client.threads.getState<{ steps?: string[] }>(thread.thread_id);
      return ((s.values as { steps?: string[] }).steps?.length ?? 0) >= 2;
    });
    await proc.kill(); // SIGKILL: no handing back

    const revived = track(await startTestServer({ sqlitePath: dbPath }));
    await revived.client.runs.join(thread.thread_id, run.run_id);
    const after = (await http(revived.url, "GET", `/threads/${thread.thread_id}/runs/${run.run_id}`)).json;
    expect(after).toMatchObject({ status: "success", attempt: 2 });
    // Resumed, not started over: each step once, in order.
    const state = await revived.client.threads.getState<{ steps: string[] }>(thread.thread_id);
    expect(state.values.steps).toEqual(Array.from({ length: 12 }, (_, i) => `step-${i + 1}`));
    expect((await revived.client.threads.get(thread.thread_id)).status).toBe("idle");
    // Its stream: the first attempt's events, then the second's, which says it is the second.
    const replay: { event: string; data: unknown }[] = [];
    for await (const c of revived.client.runs.joinStream(thread.thread_id, run.run_id)) replay.push(c);
    const metadata = replay.filter((c) => c.event === "metadata").map((c) => c.data);
    expect(metadata).toEqual([
      { run_id: run.run_id, attempt: 1 },
      { run_id: run.run_id, attempt: 2 },
    ]);
  }, 90_000);

  it("a run whose process keeps dying ends as error once it has had THREADGATE_RUN_MAX_ATTEMPTS attempts", async () => {
    const dbPath = cleanup.tempDb();
    const env = { THREADGATE_SQLITE_PATH: dbPath, THREADGATE_RUN_MAX_ATTEMPTS: "2" };
    let proc = await startServerProcess(env);
    const client = () => new Client({ apiUrl: proc.url, callerOptions: { maxRetries: 0 } });
    const thread = await client().threads.create();
    const run = await client().runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 1000 } },
    });
    for (let attempt = 1; attempt <= 2; attempt++) {
      await waitFor(async () => {
        const r = (await http(proc.url, "GET", `/threads/${thread.thread_id}/runs/${run.run_id}`)).json;
        return r.status === "running" && r.attempt === attempt;
      }, 30_000);
      await proc.kill();
      proc = await startServerProcess(env);
    }
    cleanup.add(() => proc.kill());
    const after = (await http(proc.url, "GET", `/threads/${thread.thread_id}/runs/${run.run_id}`)).json;
    expect(after).toMatchObject({ status: "error", attempt: 2 });
    expect(after.error).toMatch(/^RunAttemptsExhausted: /);
    expect((await client().threads.get(thread.thread_id)).status).toBe("error");
    const replay: { event: string; data: unknown }[] = [];
    for await (const c of client().runs.joinStream(thread.thread_id, run.run_id)) replay.push(c);
    expect(replay.at(-1)).toMatchObject({ event: "error", data: { error: "RunAttemptsExhausted" } });
  }, 120_000);
});
