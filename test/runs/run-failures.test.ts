/**
 * No failure leaves a thread busy: however a run fails — in the graph, in recording the failure, in
 * storing the run's end — it ends (`error`), its thread settles (`error`, or `idle` after a later run),
 * and the next run on the thread runs.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

async function run(threadId: string, configurable: Record<string, unknown> = {}) {
  return http(t.url, "POST", `/threads/${threadId}/runs/wait`, {
    assistant_id: "unstorable",
    input: { value: [] },
    config: { configurable },
  });
}

/** The thread once it is no longer busy (it must get there). */
async function settled(threadId: string): Promise<{ status: string }> {
  return waitFor(async () => {
    const thread = (await http(t.url, "GET", `/threads/${threadId}`)).json;
    return thread.status !== "busy" ? thread : null;
  });
}

async function expectNextRunWorks(threadId: string, values: string[]): Promise<void> {
  // `fail` explicitly off: the thread's config follows its runs, so it still has the failing run's.
  const next = await run(threadId, { fail: "none" });
  expect(next.status, next.text).toBe(200);
  expect(next.json).toEqual({ value: values });
  expect((await settled(threadId)).status).toBe("idle");
}

describe("a run whose failure cannot be stored as it is", () => {
  for (const fail of ["bigint", "no_prototype"]) {
    it(`${fail}: the run ends as error, the thread settles, the next run works`, async () => {
      const threadId = (await http(t.url, "POST", "/threads", {})).json.thread_id as string;
      const res = await run(threadId, { fail });
      expect(res.status, res.text).toBe(200);
      expect(res.json.__error__).toBeDefined();
      expect((await settled(threadId)).status).toBe("error");
      const [failed] = (await http(t.url, "GET", `/threads/${threadId}/runs`)).json;
      expect(failed.status).toBe("error");
      expect(typeof failed.error).toBe("string");
      await expectNextRunWorks(threadId, ["ok"]);
    });
  }
});

describe("a run whose end the store refuses to write", () => {
  /**
   * Makes the database refuse writes (as a full disk or a failing constraint would) while `fn` runs:
   * each trigger aborts the statement, and with it the transaction it is in.
   */
  async function refusing(triggers: string[], fn: () => Promise<void>): Promise<void> {
    const db = new Database(t.dbPath);
    triggers.forEach((sql, i) => db.exec(`CREATE TRIGGER refuse_${i} ${sql}`));
    try {
      await fn();
    } finally {
      triggers.forEach((_, i) => db.exec(`DROP TRIGGER refuse_${i}`));
      db.close();
    }
  }

  it("still ends, without its journal; its thread settles and the next run works", async () => {
    const threadId = (await http(t.url, "POST", "/threads", {})).json.thread_id as string;
    const journal = `BEFORE INSERT ON run_events WHEN NEW.thread_id = '${threadId}'
                     BEGIN SELECT RAISE(ABORT, 'journal refused'); END`;
    await refusing([journal], async () => {
      const res = await run(threadId);
      expect(res.status, res.text).toBe(200);
      expect(res.json.__error__).toMatchObject({ error: "RunEndNotStored" });
      expect((await settled(threadId)).status).toBe("error");
      const [ended] = (await http(t.url, "GET", `/threads/${threadId}/runs`)).json;
      expect(ended.status).toBe("error");
      expect(ended.error).toMatch(/journal refused/);
    });
    // The graph itself had run (its checkpoint is kept): the next run goes on from it.
    await expectNextRunWorks(threadId, ["ok", "ok"]);
  });

  it("when ending it as an error is refused too, the last resort ends it and settles its thread", async () => {
    const threadId = (await http(t.url, "POST", "/threads", {})).json.thread_id as string;
    const journal = `BEFORE INSERT ON run_events WHEN NEW.thread_id = '${threadId}'
                     BEGIN SELECT RAISE(ABORT, 'journal refused'); END`;
    const asNotStored = `BEFORE UPDATE ON runs WHEN NEW.thread_id = '${threadId}' AND NEW.error LIKE 'RunEndNotStored%'
                         BEGIN SELECT RAISE(ABORT, 'end refused'); END`;
    await refusing([journal, asNotStored], async () => {
      const res = await run(threadId);
      expect(res.status, res.text).toBe(200);
      expect(res.json.__error__).toMatchObject({ message: "end refused" });
      expect((await settled(threadId)).status).toBe("error");
      const [ended] = (await http(t.url, "GET", `/threads/${threadId}/runs`)).json;
      expect(ended.status).toBe("error");
      expect(ended.error).toMatch(/end refused/);
    });
    await expectNextRunWorks(threadId, ["ok", "ok"]);
  });
});

describe("a run that writes a channel named like a member of Object.prototype", () => {
  it("fails alone: a run executing beside it (in the same graph worker) ends as usual", async () => {
    const slowThread = await t.client.threads.create();
    const slow = await t.client.runs.create(slowThread.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 6, step_ms: 50 } },
    });
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "echo", { input: { messages: [{ role: "user", content: "hi" }] } });
    // A command update on a channel called `constructor`: LangGraph refuses it (TypeError), the run fails.
    const odd = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/wait`, {
      assistant_id: "echo",
      command: { update: { constructor: { a: 1 } } },
    });
    expect(odd.status).toBe(200);
    expect(odd.json.__error__.error).not.toBe("GraphWorkerExit");
    await t.client.runs.join(slowThread.thread_id, slow.run_id);
    const slowEnd = await t.client.runs.get(slowThread.thread_id, slow.run_id);
    expect(slowEnd.status, JSON.stringify(slowEnd)).toBe("success");
    expect((await settled(thread.thread_id)).status).toBe("error");
  });
});
