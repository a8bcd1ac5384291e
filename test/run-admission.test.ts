/**
 * Admitting runs: what is accepted (breakpoints naming no node, as LangGraph accepts them), and that a
 * rejected stateless run or batch writes nothing — no temporary thread, no run, nothing executing.
 */
import { Writable } from "node:stream";
import fs from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../src/server.ts";
import { http, TEST_GRAPHS, tempDbPath } from "./helpers/server.ts";

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
  });
});
