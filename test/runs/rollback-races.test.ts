/**
 * Rollback races: a rollback removes every checkpoint and pending write its run wrote — also the ones
 * still being written when the cancel lands, and those of a run cancelled before it started or just as
 * it finished — whether it comes from `cancel?action=rollback` or from a newer run's
 * `multitask_strategy: "rollback"`. Each case is repeated hundreds of times, with no delay between the
 * run and its rollback, 16 at once.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointsPathFor } from "../../src/stores/sqlite/files/paths.ts";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
let checkpoints: Database.Database;

beforeAll(async () => {
  t = await startTestServer();
  checkpoints = new Database(checkpointsPathFor(t.dbPath), { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  checkpoints?.close();
  await t?.close();
});

/** Runs `task(i)` for i in [0, n), `concurrency` at a time. */
async function inParallel(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: concurrency }, async () => {
    while (next < n) await task(next++);
  });
  await Promise.all(lanes);
}

/** The thread's rows in the checkpoints' file: every namespace (subgraphs too), and pending writes. */
function storedCheckpoints(threadId: string): { checkpoints: number; writes: number; runIds: string[] } {
  const rows = checkpoints
    .prepare("SELECT CAST(metadata AS TEXT) AS m FROM checkpoints WHERE thread_id = ?")
    .all(threadId) as { m: string }[];
  const writes = checkpoints.prepare("SELECT COUNT(*) AS n FROM writes WHERE thread_id = ?").get(threadId) as {
    n: number;
  };
  return {
    checkpoints: rows.length,
    writes: writes.n,
    runIds: [...new Set(rows.map((r) => (JSON.parse(r.m) as { run_id?: string }).run_id ?? "?"))],
  };
}

const hello = (text: string) => ({ messages: [{ role: "user", content: text }] });

/** Quick graphs: one node, a subgraph (checkpoints in a second namespace), three short steps. */
const RUNS = [
  { assistant_id: "echo", input: hello("hi") },
  { assistant_id: "subgraph", input: { value: [] } },
  { assistant_id: "slow", input: {}, config: { configurable: { total_steps: 3, step_ms: 1 } } },
];

describe("cancel with action=rollback, at once", () => {
  it("500 times: a rolled-back run leaves no checkpoint, write or state behind", async () => {
    const outcomes = { rolledBack: 0, finishedFirst: 0 };
    const leftovers: string[] = [];
    await inParallel(500, 16, async (i) => {
      const body = RUNS[i % RUNS.length];
      const threadId = (await http(t.url, "POST", "/threads", {})).json.thread_id as string;
      const run = (await http(t.url, "POST", `/threads/${threadId}/runs`, body)).json as { run_id: string };
      const cancel = await http(
        t.url,
        "POST",
        `/threads/${threadId}/runs/${run.run_id}/cancel?wait=true&action=rollback`,
      );
      const after = (await http(t.url, "GET", `/threads/${threadId}/runs/${run.run_id}`)).json;
      if (cancel.status === 409) {
        // The run ended before the cancel reached it: it stands, whole.
        outcomes.finishedFirst++;
        if (after.status !== "success") leftovers.push(`${body.assistant_id} 409 but ${after.status}`);
        return;
      }
      outcomes.rolledBack++;
      const state = (await http(t.url, "GET", `/threads/${threadId}/state`)).json;
      const thread = (await http(t.url, "GET", `/threads/${threadId}`)).json;
      const stored = storedCheckpoints(threadId);
      const problems = [
        cancel.status !== 204 && `cancel ${cancel.status}`,
        (after.status !== "error" || after.error !== "Rolled back by user") && `run ${after.status} ${after.error}`,
        state.checkpoint !== null && `state at ${JSON.stringify(state.metadata)} next ${JSON.stringify(state.next)}`,
        (stored.checkpoints > 0 || stored.writes > 0) && `stored ${JSON.stringify(stored)}`,
        thread.status !== "idle" && `thread ${thread.status}`,
      ].filter(Boolean);
      if (problems.length) leftovers.push(`${body.assistant_id}: ${problems.join("; ")}`);
    });
    expect(leftovers, JSON.stringify(outcomes)).toEqual([]);
    expect(outcomes.rolledBack + outcomes.finishedFirst).toBe(500);
  }, 300_000);

  it("100 times: rolling back a resume restores the interrupt it answered, with no pending writes of its own", async () => {
    const leftovers: string[] = [];
    const outcomes = { rolledBack: 0, finishedFirst: 0 };
    await inParallel(100, 16, async () => {
      const threadId = (await http(t.url, "POST", "/threads", {})).json.thread_id as string;
      await http(t.url, "POST", `/threads/${threadId}/runs/wait`, { assistant_id: "interrupt", input: {} });
      const before = (await http(t.url, "GET", `/threads/${threadId}/state`)).json;
      const storedBefore = storedCheckpoints(threadId);
      const resume = (
        await http(t.url, "POST", `/threads/${threadId}/runs`, {
          assistant_id: "interrupt",
          command: { resume: "yes" },
        })
      ).json as { run_id: string };
      const cancel = await http(
        t.url,
        "POST",
        `/threads/${threadId}/runs/${resume.run_id}/cancel?wait=true&action=rollback`,
      );
      if (cancel.status === 409) {
        outcomes.finishedFirst++; // it answered the interrupt before the cancel came
        return;
      }
      outcomes.rolledBack++;
      const after = (await http(t.url, "GET", `/threads/${threadId}/state`)).json;
      const stored = storedCheckpoints(threadId);
      const problems = [
        cancel.status !== 204 && `cancel ${cancel.status}`,
        JSON.stringify(after) !== JSON.stringify(before) && `state ${JSON.stringify(after.tasks)}`,
        JSON.stringify(stored) !== JSON.stringify(storedBefore) && `stored ${JSON.stringify(stored)}`,
      ].filter(Boolean);
      if (problems.length) leftovers.push(problems.join("; "));
    });
    expect(leftovers, JSON.stringify(outcomes)).toEqual([]);
  }, 300_000);
});

describe('multitask_strategy "rollback", at once', () => {
  it("200 times: the replaced run leaves nothing behind and the new run starts from the state before it", async () => {
    const leftovers: string[] = [];
    const outcomes = { replaced: 0, finishedFirst: 0 };
    await inParallel(200, 16, async () => {
      const threadId = (await http(t.url, "POST", "/threads", {})).json.thread_id as string;
      const first = (
        await http(t.url, "POST", `/threads/${threadId}/runs`, { assistant_id: "echo", input: hello("one") })
      ).json as { run_id: string };
      const second = await http(t.url, "POST", `/threads/${threadId}/runs`, {
        assistant_id: "echo",
        input: hello("two"),
        multitask_strategy: "rollback",
      });
      if (second.status !== 200) {
        leftovers.push(`second run ${second.status} ${second.text}`);
        return;
      }
      const values = (await http(t.url, "GET", `/threads/${threadId}/runs/${second.json.run_id}/join`)).json;
      const firstNow = await http(t.url, "GET", `/threads/${threadId}/runs/${first.run_id}`);
      const stored = storedCheckpoints(threadId);
      const said = (values.messages as { type: string; content: string }[]).filter((m) => m.type === "human");
      // The first run either ended before the second came (success, kept: the second goes on from it) or
      // was removed with its checkpoints (the second starts from the empty thread).
      const replaced = firstNow.status === 404;
      outcomes[replaced ? "replaced" : "finishedFirst"]++;
      const problems = [
        JSON.stringify(said.map((m) => m.content)) !== (replaced ? '["two"]' : '["one","two"]') &&
          `said ${JSON.stringify(said.map((m) => m.content))} (first run ${firstNow.json?.status ?? "removed"})`,
        !replaced && firstNow.json.status !== "success" && `first run ${firstNow.json.status}`,
        firstNow.status === 404 && stored.runIds.includes(first.run_id) && `first run's checkpoints stored`,
        stored.runIds.some((id) => id !== first.run_id && id !== second.json.run_id) && `stored ${stored.runIds}`,
      ].filter(Boolean);
      if (problems.length) leftovers.push(problems.join("; "));
    });
    expect(leftovers, JSON.stringify(outcomes)).toEqual([]);
  }, 300_000);
});
