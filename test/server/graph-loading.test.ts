/**
 * Loading the graphs of langgraph.json: a graph that cannot be loaded (its module throws at import, or has
 * no such export) is logged with its error and its assistant answers 409 with the load error on every run
 * and state call, while the other graphs serve — in the server thread and in graph workers alike. Graphs
 * that take LangGraph Platform's logger (`@langchain/langgraph-sdk/logging`'s getLogger()) at import get it.
 * These graphs have a langgraph.json of their own (test/graphs/broken/), so the other tests never see them.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { startServer, type RunningServer } from "../../src/server.ts";
import { http, startServerProcess, tempDbPath } from "../helpers/server.ts";

const BROKEN_GRAPHS = fileURLToPath(new URL("../graphs/broken/langgraph.json", import.meta.url));

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

describe("a langgraph.json with graphs that cannot be loaded", () => {
  let server: RunningServer;
  let client: Client;
  let dbPath: string;
  const logs: LogLine[] = [];

  beforeAll(async () => {
    dbPath = tempDbPath();
    const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    server = await startServer(
      { port: 0, host: "127.0.0.1", graphsConfigPath: BROKEN_GRAPHS, sqlitePath: dbPath, heartbeatSeconds: 1 },
      logger,
    );
    client = new Client({ apiUrl: server.url, callerOptions: { maxRetries: 0 } });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
  });

  it("the server starts, and the graphs that loaded serve runs", async () => {
    const thread = await client.threads.create();
    expect(await client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } })).toEqual({
      value: ["first", "second"],
    });
  });

  it("each graph that failed is logged with its file and error, and named in the listening line", () => {
    const failed = logs.filter((l) => l.msg.startsWith("graph failed to load"));
    const byGraph = Object.fromEntries(failed.map((l) => [l.graph_id, l]));
    expect(Object.keys(byGraph).sort()).toEqual(["no_such_export", "throws_at_import"]);
    expect(byGraph.throws_at_import.file).toMatch(/throws-at-import\.ts$/);
    expect((byGraph.throws_at_import.err as { message: string }).message).toContain("broken at import");
    expect((byGraph.no_such_export.err as { message: string }).message).toContain('no export "nope"');
    const listening = logs.find((l) => l.msg === "threadgate listening")!;
    expect(listening.graphs).toEqual(["two_node", "logs"]);
    expect(listening.graphs_failed).toEqual(["throws_at_import", "no_such_export"]);
  });

  it("a run of a graph that failed to load is refused with 409 naming the graph and its load error", async () => {
    const thread = await client.threads.create();
    for (const route of [`/threads/${thread.thread_id}/runs`, `/threads/${thread.thread_id}/runs/wait`, "/runs/wait"]) {
      const res = await http(server.url, "POST", route, { assistant_id: "throws_at_import", input: {} });
      expect(res.status, route).toBe(409);
      expect(res.json.detail, route).toMatch(/graph "throws_at_import" failed to load/);
      expect(res.json.detail, route).toContain("broken at import: THREADGATE_TEST_NEVER_SET is not set");
    }
    const missing = await http(server.url, "POST", `/threads/${thread.thread_id}/runs/stream`, {
      assistant_id: "no_such_export",
    });
    expect(missing.status).toBe(409);
    expect(missing.json.detail).toContain('has no export "nope"');
    // Nothing was written: the thread has no runs and is idle.
    expect(await client.runs.list(thread.thread_id)).toEqual([]);
    expect((await client.threads.get(thread.thread_id)).status).toBe("idle");
    // The SDK sees the same error (409 is one of the statuses it does not retry).
    await expect(client.runs.wait(thread.thread_id, "throws_at_import", { input: {} })).rejects.toMatchObject({
      status: 409,
    });
  });

  it("state and history of a thread of a graph that failed to load answer 409 with the load error", async () => {
    // A thread of that graph, as one made before the graph broke would be (raw POST: SDK 1.15 drops
    // metadata.graph_id unless it is given as `graphId`).
    const thread = (await http(server.url, "POST", "/threads", { metadata: { graph_id: "throws_at_import" } })).json;
    const calls: [string, string, unknown?][] = [
      ["GET", `/threads/${thread.thread_id}/state`],
      ["POST", `/threads/${thread.thread_id}/state`, { values: {} }],
      ["GET", `/threads/${thread.thread_id}/history`],
      ["POST", `/threads/${thread.thread_id}/history`, { limit: 5 }],
    ];
    for (const [method, route, body] of calls) {
      const res = await http(server.url, method, route, body);
      expect(res.status, `${method} ${route}`).toBe(409);
      expect(res.json.detail, `${method} ${route}`).toMatch(
        /graph "throws_at_import" failed to load.*broken at import/,
      );
    }
  });

  it("its assistant is still listed, so clients see the graph exists", async () => {
    const assistants = await client.assistants.search({ limit: 100 });
    expect(assistants.map((a) => a.graph_id).sort()).toEqual([
      "logs",
      "no_such_export",
      "throws_at_import",
      "two_node",
    ]);
  });

  it("a graph that takes LangGraph Platform's logger at import loads, runs, and logs through the server's logger", async () => {
    const thread = await client.threads.create();
    expect(await client.runs.wait(thread.thread_id, "logs", { input: { value: [] } })).toEqual({ value: ["logged"] });
    // The server thread imports every graph too (for state and validation): its import-time line is ours.
    expect(logs.find((l) => l.msg === "logs graph loaded")).toMatchObject({ level: 30, graph: "logs" });
  });
});

describe("LangGraph Platform's logger in graph code", () => {
  it("writes winston-style calls to the server's log, with the node that logs (graphs in the server thread)", async () => {
    const logs: LogLine[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    // A second server in this process: loggers graph modules took from the first now write to this one.
    const inProcess = await startServer(
      { port: 0, host: "127.0.0.1", graphsConfigPath: BROKEN_GRAPHS, sqlitePath: ":memory:", graphWorkers: 0 },
      logger,
    );
    try {
      const client = new Client({ apiUrl: inProcess.url, callerOptions: { maxRetries: 0 } });
      const thread = await client.threads.create();
      await client.runs.wait(thread.thread_id, "logs", { input: { value: ["a", "b"] } });
      expect(logs.find((l) => l.msg === "logs node ran")).toMatchObject({
        level: 40,
        values: 2,
        langgraph_node: "log",
      });
    } finally {
      await inProcess.close();
    }
  });
});

describe("npm start with a graph that cannot be loaded", () => {
  it("the process starts and serves the other graphs", async () => {
    const dbPath = tempDbPath();
    const proc = await startServerProcess({ THREADGATE_SQLITE_PATH: dbPath, THREADGATE_GRAPHS: BROKEN_GRAPHS });
    try {
      const client = new Client({ apiUrl: proc.url, callerOptions: { maxRetries: 0 } });
      const thread = await client.threads.create();
      expect(await client.runs.wait(thread.thread_id, "logs", { input: { value: [] } })).toEqual({ value: ["logged"] });
      const refused = await http(proc.url, "POST", "/runs/wait", { assistant_id: "throws_at_import" });
      expect(refused.status).toBe(409);
    } finally {
      await proc.kill();
      fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
    }
  }, 90_000);
});
