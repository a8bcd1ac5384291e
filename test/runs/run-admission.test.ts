/**
 * Admitting runs: what is accepted (breakpoints naming no node, as LangGraph accepts them), and that a
 * rejected stateless run or batch writes nothing — no temporary thread, no run, nothing executing.
 */
import { Writable } from "node:stream";
import fs from "node:fs";
import path from "node:path";
import { pino } from "pino";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/server.ts";
import { http, TEST_GRAPHS, tempDbPath, waitFor } from "../helpers/server.ts";

/** The server's log lines, as JSON objects. */
const logLines: Record<string, unknown>[] = [];
let server: RunningServer;
let url: string;
let dbPath: string;

beforeAll(async () => {
  dbPath = tempDbPath();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logLines.push(JSON.parse(line));
      done();
    },
  });
  server = await startServer(
    { port: 0, host: "127.0.0.1", graphsConfigPath: TEST_GRAPHS, sqlitePath: dbPath, heartbeatSeconds: 1 },
    pino({ level: "warn" }, sink),
  );
  url = server.url;
});
afterAll(async () => {
  await server?.close();
  if (dbPath) fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
});

async function newThread(): Promise<string> {
  return (await http(url, "POST", "/threads", {})).json.thread_id;
}

async function waitRun(threadId: string, body: Record<string, unknown>) {
  return http(url, "POST", `/threads/${threadId}/runs/wait`, body);
}

describe("breakpoints naming no node of the graph", () => {
  it("are accepted, with a warning in the log naming them; the run ignores them", async () => {
    for (const field of ["interrupt_before", "interrupt_after"]) {
      const threadId = await newThread();
      const res = await waitRun(threadId, { assistant_id: "two_node", input: { value: [] }, [field]: ["nowhere"] });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({ value: ["first", "second"] });
      const [run] = (await http(url, "GET", `/threads/${threadId}/runs`)).json;
      expect(run.status).toBe("success");
      expect(run.kwargs[field]).toEqual(["nowhere"]);
      const warning = logLines.find(
        (l) => l.level === 40 && JSON.stringify(l).includes("nowhere") && JSON.stringify(l).includes(field),
      );
      expect(warning, JSON.stringify(logLines)).toBeDefined();
    }
  });

  it("the names that are nodes still stop the run", async () => {
    const threadId = await newThread();
    const res = await waitRun(threadId, {
      assistant_id: "two_node",
      input: { value: [] },
      interrupt_before: ["second", "nowhere"],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ value: ["first"] });
    const state = (await http(url, "GET", `/threads/${threadId}/state`)).json;
    expect(state.next).toEqual(["second"]);
    expect((await http(url, "GET", `/threads/${threadId}`)).json.status).toBe("interrupted");
  });

  it("stateless runs and batches accept them too", async () => {
    const single = await http(url, "POST", "/runs/wait", {
      assistant_id: "two_node",
      input: { value: [] },
      interrupt_after: ["nope"],
    });
    expect(single.status, single.text).toBe(200);
    expect(single.json).toEqual({ value: ["first", "second"] });
    const batch = await http(url, "POST", "/runs/batch", [
      { assistant_id: "two_node", input: { value: [] } },
      { assistant_id: "two_node", input: { value: [] }, interrupt_before: ["nope"] },
    ]);
    expect(batch.status, batch.text).toBe(200);
    expect(batch.json).toHaveLength(2);
    // Their temporary threads go away when they end.
    for (const run of batch.json as { thread_id: string }[]) {
      await waitFor(async () => (await http(url, "GET", `/threads/${run.thread_id}`)).status === 404);
    }
  });
});

/** What is stored: threads (through the API) and runs (in the database file). */
async function stored(): Promise<{ threads: number; runs: number }> {
  const threads = (await http(url, "POST", "/threads/search", { limit: 1000 })).json.length;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return { threads, runs: (db.prepare("SELECT COUNT(*) AS n FROM runs").get() as { n: number }).n };
  } finally {
    db.close();
  }
}

/**
 * A valid run request the server fails to store: the database refuses runs whose input says so (a
 * trigger), as a full disk or a failing constraint would refuse the write. The request passes every
 * check, so it fails where a stateless run's admission writes.
 */
const unstorable = { assistant_id: "two_node", input: { value: [], refuse: true } };
const good = { assistant_id: "two_node", input: { value: [] }, on_completion: "keep" };
describe("rejected stateless runs write nothing", () => {
  let db: Database.Database;
  beforeAll(() => {
    db = new Database(dbPath);
    db.exec(`CREATE TRIGGER refuse_runs BEFORE INSERT ON runs
             WHEN json_extract(NEW.kwargs, '$.input.refuse') = 1
             BEGIN SELECT RAISE(ABORT, 'run refused'); END`);
  });
  afterAll(() => {
    db.exec("DROP TRIGGER refuse_runs");
    db.close();
  });

  it("/runs, /runs/stream and /runs/wait leave no temporary thread and no run behind", async () => {
    for (const route of ["/runs", "/runs/stream", "/runs/wait"]) {
      const before = await stored();
      const res = await http(url, "POST", route, unstorable);
      expect(res.status, `${route}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(res.json?.detail, route).toBeDefined();
      expect(await stored(), route).toEqual(before);
    }
  });

  it("a run on a missing thread with if_not_exists: create leaves no thread behind when rejected", async () => {
    const before = await stored();
    const res = await http(url, "POST", "/threads/33333333-3333-4333-8333-333333333333/runs", {
      ...unstorable,
      if_not_exists: "create",
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await stored()).toEqual(before);
    expect((await http(url, "GET", "/threads/33333333-3333-4333-8333-333333333333")).status).toBe(404);
  });

  it("/runs/batch is all or nothing: a bad element after a good one starts neither", async () => {
    const before = await stored();
    const res = await http(url, "POST", "/runs/batch", [good, unstorable]);
    expect(res.status, res.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(await stored()).toEqual(before);
    // Nothing executes later either: the good element's run (whose thread would be kept) never existed.
    const later = await http(url, "POST", "/runs/wait", { assistant_id: "two_node", input: { value: [] } });
    expect(later.status).toBe(200);
    expect(await stored()).toEqual(before);
  });

  it("an accepted batch admits every element, and each runs", async () => {
    const before = await stored();
    const res = await http(url, "POST", "/runs/batch", [good, good, good]);
    expect(res.status, res.text).toBe(200);
    const runs = res.json as { run_id: string; thread_id: string }[];
    expect(new Set(runs.map((r) => r.thread_id)).size).toBe(3);
    for (const run of runs) {
      const joined = await http(url, "GET", `/threads/${run.thread_id}/runs/${run.run_id}/join`);
      expect(joined.json).toEqual({ value: ["first", "second"] });
    }
    expect(await stored()).toEqual({ threads: before.threads + 3, runs: before.runs + 3 });
  });

  it("a delayed element of a batch waits for its time, then runs", async () => {
    const res = await http(url, "POST", "/runs/batch", [good, { ...good, after_seconds: 1 }]);
    expect(res.status, res.text).toBe(200);
    const [now, later] = res.json as { run_id: string; thread_id: string; status: string }[];
    expect(later.status).toBe("pending");
    for (const run of [now, later]) {
      const joined = await http(url, "GET", `/threads/${run.thread_id}/runs/${run.run_id}/join`);
      expect(joined.json).toEqual({ value: ["first", "second"] });
    }
  });
});
