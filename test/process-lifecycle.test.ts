/**
 * The server process's life: one process per data folder (a second one on the same files is refused at
 * start, naming the file and the other process; the lock dies with its holder, even by kill -9), and
 * shutdown (SIGTERM/SIGINT: new runs refused, runs in flight get a grace period, then end as `error`
 * with a recorded reason their clients are told of; queued runs stay pending for the next start).
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { startServerProcess, startTestServer, tempDbPath, type ServerProcess } from "./helpers/server.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function tempDb(): string {
  const dbPath = tempDbPath();
  cleanup.push(() => fs.rmSync(path.dirname(dbPath), { recursive: true, force: true }));
  return dbPath;
}

async function serverProcess(env: Record<string, string>): Promise<ServerProcess> {
  const proc = await startServerProcess(env);
  cleanup.push(() => proc.kill());
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
    cleanup.push(() => first.stop());
    await expect(startTestServer({ sqlitePath: dbPath })).rejects.toThrow(
      new RegExp(`${dbPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*pid ${process.pid}`, "s"),
    );
    // The refused start left nothing behind: the first still serves, and once it stops the file is free.
    const thread = await first.client.threads.create();
    await first.stop();
    const second = await startTestServer({ sqlitePath: dbPath });
    cleanup.push(() => second.stop());
    expect((await second.client.threads.get(thread.thread_id)).thread_id).toBe(thread.thread_id);
  });

  it("an in-memory database needs no lock: two servers on :memory: both start", async () => {
    const a = await startTestServer({ sqlitePath: ":memory:" });
    cleanup.push(() => a.stop());
    const b = await startTestServer({ sqlitePath: ":memory:" });
    cleanup.push(() => b.stop());
    expect((await a.client.threads.create()).thread_id).not.toBe((await b.client.threads.create()).thread_id);
  });
});
