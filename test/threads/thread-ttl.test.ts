/**
 * Thread TTL sweeping, over real HTTP through the SDK, on a server whose langgraph.json has
 * `checkpointer.ttl` (a default TTL of 600 minutes, a sweep every 0.3 s): expired threads are deleted
 * or cut down to their latest checkpoint; a busy thread is left until its run's last update has
 * expired too.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { keepLatest } from "./thread-state-helpers.ts";
import { startServer } from "../../src/server.ts";
import { createLogger } from "../../src/logger.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const TTL_GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.ttl.json", import.meta.url));

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ graphsConfigPath: TTL_GRAPHS });
});
afterAll(async () => {
  await t?.close();
});

const hello = { messages: [{ role: "user", content: "hello there" }] };
/** 0.01 minutes: 600 ms. */
const SHORT = 0.01;

/** Polls `check` until it holds, for up to 20 s (the sweep runs every 0.3 s). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not within 20 s: ${what}`);
}

const status = async (threadId: string) => (await http(t.url, "GET", `/threads/${threadId}`)).status;

describe("thread TTL sweep", () => {
  it("deletes a thread with strategy delete once its TTL has run out, with its runs", async () => {
    const thread = await t.client.threads.create({ ttl: { ttl: SHORT, strategy: "delete" } });
    const run = await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    expect(run).toBeTruthy();
    await eventually(async () => (await status(thread.thread_id)) === 404, "the thread is swept");
    const runs = await http(t.url, "GET", `/threads/${thread.thread_id}/runs`);
    expect(runs.status).toBe(404);
  });

  it("keeps a keep_latest thread with only its latest checkpoint, and its values", async () => {
    const thread = await t.client.threads.create({ ttl: keepLatest(600) });
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    const before = await t.client.threads.getHistory(thread.thread_id, { limit: 100 });
    expect(before.length).toBeGreaterThan(1);
    const values = (await t.client.threads.getState(thread.thread_id)).values;

    await t.client.threads.update(thread.thread_id, { ttl: keepLatest(SHORT) });
    await eventually(
      async () => (await t.client.threads.getHistory(thread.thread_id, { limit: 100 })).length === 1,
      "the history is cut to the latest checkpoint",
    );
    expect((await t.client.threads.getState(thread.thread_id)).values).toEqual(values);
    const info = (await http(t.url, "GET", `/threads/${thread.thread_id}?include=ttl`)).json;
    expect(info.ttl).toEqual({ strategy: "keep_latest", ttl_minutes: SHORT, expires_at: null });

    // The next update arms it again; the thread goes on.
    await t.client.runs.wait(thread.thread_id, "echo", { input: hello });
    const armed = (await http(t.url, "GET", `/threads/${thread.thread_id}?include=ttl`)).json;
    expect(armed.ttl.expires_at).not.toBeNull();
    expect(armed.values).toBeTruthy();
  });

  it("never sweeps a thread a run is in flight on; it expires after the run's last update", async () => {
    const thread = await t.client.threads.create({ ttl: { ttl: SHORT, strategy: "delete" } });
    const run = await t.client.runs.create(thread.thread_id, "slow", {
      input: { steps: [] },
      config: { configurable: { total_steps: 8, step_ms: 250 } },
    });
    // Two seconds of run: more than three times the TTL, several sweeps.
    let seen = 0;
    for (let done = false; !done;) {
      expect(await status(thread.thread_id)).toBe(200);
      seen += 1;
      const now = await t.client.runs.get(thread.thread_id, run.run_id);
      done = now.status !== "pending" && now.status !== "running";
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(seen).toBeGreaterThan(3);
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
    await eventually(async () => (await status(thread.thread_id)) === 404, "the thread is swept after its run");
  });

  it("threads made without a ttl, by create or by a run, have the default of langgraph.json", async () => {
    const made = await t.client.threads.create();
    const info = (await http(t.url, "GET", `/threads/${made.thread_id}?include=ttl`)).json;
    expect(info.ttl).toMatchObject({ strategy: "delete", ttl_minutes: 600 });

    const byRun = crypto.randomUUID();
    await t.client.runs.wait(byRun, "echo", { input: hello, ifNotExists: "create" });
    const runInfo = (await http(t.url, "GET", `/threads/${byRun}?include=ttl`)).json;
    expect(runInfo.ttl).toMatchObject({ strategy: "delete", ttl_minutes: 600 });
    // Long from expiring: both are still there after a few sweeps.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await status(made.thread_id)).toBe(200);
    expect(await status(byRun)).toBe(200);
  });
});

describe("checkpointer.ttl in langgraph.json", () => {
  it("a bad setting stops the start, naming the key", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-ttl-"));
    const file = path.join(dir, "langgraph.json");
    try {
      for (const [ttl, key] of [
        [{ strategy: "archive" }, "checkpointer.ttl.strategy"],
        [{ default_ttl: 0 }, "checkpointer.ttl.default_ttl"],
        [{ sweep_interval_minutes: "5" }, "checkpointer.ttl.sweep_interval_minutes"],
        [{ sweep_limit: 1.5 }, "checkpointer.ttl.sweep_limit"],
      ] as const) {
        fs.writeFileSync(file, JSON.stringify({ graphs: {}, checkpointer: { ttl } }));
        const start = startServer(
          { port: 0, host: "127.0.0.1", graphsConfigPath: file, sqlitePath: ":memory:" },
          createLogger("silent"),
        );
        await expect(start).rejects.toThrow(key);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
