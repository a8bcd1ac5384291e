/** What survives a restart: threads, runs, events, checkpoints — and runs a crash left behind. */
import { describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { openSqliteStores } from "../../src/stores/sqlite/index.ts";
import { startServerProcess, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
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

  it("a run that was executing when the process died is never left running", async () => {
    const dbPath = cleanup.tempDb();
    const proc = await startServerProcess({ THREADGATE_SQLITE_PATH: dbPath });
    cleanup.add(() => proc.kill());
    const client = new Client({ apiUrl: proc.url, callerOptions: { maxRetries: 0 } });

    const thread = await client.threads.create();
    const run = await client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 50, step_ms: 100 } },
    });
    await waitFor(async () => {
      const s = await client.threads.getState<{ steps?: string[] }>(thread.thread_id);
      return ((s.values as { steps?: string[] }).steps?.length ?? 0) >= 2;
    });
    await proc.kill();

    const revived = track(await startTestServer({ sqlitePath: dbPath }));
    const after = await revived.client.runs.get(thread.thread_id, run.run_id);
    expect(after.status).toBe("error");
    expect((after as unknown as { error: string }).error).toMatch(/stopped while this run was executing/);
    const threadAfter = await revived.client.threads.get(thread.thread_id);
    expect(threadAfter.status).not.toBe("busy");
    // Its checkpoints are kept, and the thread takes new runs.
    const state = await revived.client.threads.getState<{ steps: string[] }>(thread.thread_id);
    expect((state.values as { steps: string[] }).steps.length).toBeGreaterThanOrEqual(2);
    const next = await revived.client.runs.create(thread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 1, step_ms: 1 } },
    });
    await revived.client.runs.join(thread.thread_id, next.run_id);
    // A join on the recovered run replays what was kept and closes instead of hanging.
    const replay = [];
    for await (const c of revived.client.runs.joinStream(thread.thread_id, run.run_id)) replay.push(c);
    expect(replay[0]).toMatchObject({ event: "metadata" });
  }, 90_000);
});
