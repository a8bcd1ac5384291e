/**
 * Audit endpoints: the messages, events and token usage the server records
 * for each run, read over real HTTP after runs made with the official SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const MODEL = "threadgate-offline";
const MISSING = "00000000-0000-4000-8000-000000000000";
const ask = (text: string) => ({ messages: [{ role: "user", content: text }] });
const reply = (text: string) => `I am Threadgate's offline model. You said: "${text}".`;

interface Entry {
  thread_id: string;
  run_id: string;
  seq: number;
  event_type: string;
  category: string;
  content: any;
  metadata: any;
  created_at: string;
}

/** A thread with two finished echo runs; run ids oldest first. */
async function threadWithTwoRuns(first = "hello audit", second = "second question") {
  const thread = await t.client.threads.create();
  await t.client.runs.wait(thread.thread_id, "echo", { input: ask(first) });
  await t.client.runs.wait(thread.thread_id, "echo", { input: ask(second) });
  const runs = await t.client.runs.list(thread.thread_id);
  expect(runs).toHaveLength(2);
  return { threadId: thread.thread_id, runIds: runs.map((r) => r.run_id).reverse() };
}

async function waitForStatus(threadId: string, runId: string, status: string) {
  const deadline = Date.now() + 10_000;
  while ((await t.client.runs.get(threadId, runId)).status !== status) {
    if (Date.now() > deadline) throw new Error(`run ${runId} never reached ${status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function messages(threadId: string, query = ""): Promise<Entry[]> {
  const res = await http(t.url, "GET", `/threads/${threadId}/messages${query}`);
  expect(res.status).toBe(200);
  return res.json;
}

describe("thread messages", () => {
  let threadId: string;
  let runIds: string[];
  let all: Entry[];
  beforeAll(async () => {
    ({ threadId, runIds } = await threadWithTwoRuns());
    all = await messages(threadId);
  });

  it("lists the human input and the AI response of each run, in order", () => {
    expect(all.map((m) => m.event_type)).toEqual([
      "llm.human.input",
      "llm.ai.response",
      "llm.human.input",
      "llm.ai.response",
    ]);
    expect(all.map((m) => m.run_id)).toEqual([runIds[0], runIds[0], runIds[1], runIds[1]]);
    expect(all.every((m) => m.thread_id === threadId && m.category === "message")).toBe(true);
    expect(all.every((m) => !Number.isNaN(Date.parse(m.created_at)))).toBe(true);
  });

  it("the human entry carries the human message", () => {
    expect(all[0].content.content).toBe("hello audit");
    expect(all[2].content.content).toBe("second question");
  });

  it("the AI entry carries the reply text, the model and its token usage", () => {
    const ai = all[1];
    expect(ai.content.content).toBe(reply("hello audit"));
    expect(ai.content.type).toBe("ai");
    expect(ai.metadata.model).toBe(MODEL);
    const usage = ai.metadata.usage;
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(all[3].content.content).toBe(reply("second question"));
  });

  it("seq is strictly increasing across runs", () => {
    const seqs = all.map((m) => m.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
    expect(Number.isInteger(seqs[0])).toBe(true);
    expect(seqs[0]).toBeGreaterThan(0);
  });

  it("limit returns the newest entries, ascending", async () => {
    const newest = await messages(threadId, "?limit=2");
    expect(newest.map((m) => m.seq)).toEqual(all.slice(2).map((m) => m.seq));
    const one = await messages(threadId, "?limit=1");
    expect(one.map((m) => m.seq)).toEqual([all[3].seq]);
  });

  it("before_seq pages backwards, after_seq forwards", async () => {
    const before = await messages(threadId, `?before_seq=${all[2].seq}`);
    expect(before.map((m) => m.seq)).toEqual([all[0].seq, all[1].seq]);
    const beforeLimited = await messages(threadId, `?before_seq=${all[3].seq}&limit=2`);
    expect(beforeLimited.map((m) => m.seq)).toEqual([all[1].seq, all[2].seq]);

    const after = await messages(threadId, `?after_seq=${all[0].seq}`);
    expect(after.map((m) => m.seq)).toEqual(all.slice(1).map((m) => m.seq));
    const afterLimited = await messages(threadId, `?after_seq=${all[0].seq}&limit=1`);
    expect(afterLimited.map((m) => m.seq)).toEqual([all[1].seq]);
    expect(await messages(threadId, `?after_seq=${all[3].seq}`)).toEqual([]);
  });

  it("bad paging parameters are 422 naming them", async () => {
    const res = await http(t.url, "GET", `/threads/${threadId}/messages?limit=500&before_seq=x`);
    expect(res.status).toBe(422);
    const locs = res.json.detail.map((d: { loc: string[] }) => d.loc.join("."));
    expect(locs).toEqual(expect.arrayContaining(["query.limit", "query.before_seq"]));
  });

  it("a thread without runs has no messages", async () => {
    const fresh = await t.client.threads.create();
    expect(await messages(fresh.thread_id)).toEqual([]);
  });
});

describe("run messages and events", () => {
  let threadId: string;
  let runIds: string[];
  beforeAll(async () => {
    ({ threadId, runIds } = await threadWithTwoRuns("first run", "second run"));
  });

  it("GET …/runs/{rid}/messages is a {data, has_more} page of only that run's messages", async () => {
    const res = await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[1]}/messages`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["data", "has_more"]);
    expect(res.json.has_more).toBe(false);
    const data: Entry[] = res.json.data;
    expect(data.map((m) => m.event_type)).toEqual(["llm.human.input", "llm.ai.response"]);
    expect(data.every((m) => m.run_id === runIds[1])).toBe(true);
    expect(data[0].content.content).toBe("second run");
    expect(data[1].content.content).toBe(reply("second run"));

    const page = await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[0]}/messages?limit=1`);
    expect(page.json.has_more).toBe(true);
    expect(page.json.data.map((m: Entry) => m.event_type)).toEqual(["llm.ai.response"]);
    const rest = await http(
      t.url,
      "GET",
      `/threads/${threadId}/runs/${runIds[0]}/messages?before_seq=${page.json.data[0].seq}`,
    );
    expect(rest.json.data.map((m: Entry) => m.event_type)).toEqual(["llm.human.input"]);
    expect(rest.json.has_more).toBe(false);
  });

  it("GET …/runs/{rid}/events includes run.start and run.end, and filters by event_types", async () => {
    const res = await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[0]}/events`);
    expect(res.status).toBe(200);
    expect(res.json.has_more).toBe(false);
    const events: Entry[] = res.json.data;
    const types = events.map((e) => e.event_type);
    expect(types[0]).toBe("run.start");
    expect(types.at(-1)).toBe("run.end");
    expect(types).toEqual(expect.arrayContaining(["llm.human.input", "llm.ai.response"]));
    expect(events.every((e) => e.run_id === runIds[0])).toBe(true);
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(events[0].category).toBe("trace");
    expect(events[0].content).toMatchObject({ graph_id: "echo" });
    expect(events.at(-1)!.category).toBe("outputs");
    expect(events.at(-1)!.content).toMatchObject({ status: "success" });

    const starts = await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[0]}/events?event_types=run.start`);
    expect(starts.status).toBe(200);
    expect(starts.json.data.map((e: Entry) => e.event_type)).toEqual(["run.start"]);

    const both = await http(
      t.url,
      "GET",
      `/threads/${threadId}/runs/${runIds[0]}/events?event_types=run.start,run.end`,
    );
    expect(both.json.data.map((e: Entry) => e.event_type)).toEqual(["run.start", "run.end"]);

    const limited = await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[0]}/events?limit=2`);
    expect(limited.json.data).toHaveLength(2);
    expect(limited.json.has_more).toBe(true);
    const next = await http(
      t.url,
      "GET",
      `/threads/${threadId}/runs/${runIds[0]}/events?after_seq=${limited.json.data[1].seq}`,
    );
    expect([...limited.json.data, ...next.json.data].map((e: Entry) => e.seq)).toEqual(seqs);
  });

  it("a failed run records run.error and ends with status error", async () => {
    const thread = await t.client.threads.create();
    await expect(t.client.runs.wait(thread.thread_id, "fail", { input: {} })).rejects.toThrow(/boom/);
    const [run] = await t.client.runs.list(thread.thread_id);
    const res = await http(t.url, "GET", `/threads/${thread.thread_id}/runs/${run.run_id}/events`);
    const types = res.json.data.map((e: Entry) => e.event_type);
    expect(types[0]).toBe("run.start");
    expect(types).toContain("run.error");
    expect(res.json.data.at(-1).content).toMatchObject({ status: "error" });
  });

  it("a run asked for under another thread is 404", async () => {
    const other = await t.client.threads.create();
    for (const suffix of ["messages", "events"]) {
      const res = await http(t.url, "GET", `/threads/${other.thread_id}/runs/${runIds[0]}/${suffix}`);
      expect(res.status, suffix).toBe(404);
      expect(typeof res.json.detail).toBe("string");
    }
  });
});

describe("token usage", () => {
  it("sums over the thread's runs, by model and by caller", async () => {
    const { threadId, runIds } = await threadWithTwoRuns("count my tokens", "and these too please");
    const runs = await Promise.all(runIds.map((id) => t.client.runs.get(threadId, id)));
    for (const run of runs) {
      expect(run.status).toBe("success");
      const r = run as any;
      expect(r.total_tokens).toBeGreaterThan(0);
      expect(r.total_tokens).toBe(r.total_input_tokens + r.total_output_tokens);
      expect(r.llm_call_count).toBe(1);
      expect(r.message_count).toBe(2);
      expect(r.lead_agent_tokens).toBe(r.total_tokens);
      expect(r.subagent_tokens).toBe(0);
      expect(r.middleware_tokens).toBe(0);
      expect(r.token_usage_by_model[MODEL]).toEqual({
        input_tokens: r.total_input_tokens,
        output_tokens: r.total_output_tokens,
        total_tokens: r.total_tokens,
        calls: 1,
      });
    }

    const res = await http(t.url, "GET", `/threads/${threadId}/token-usage`);
    expect(res.status).toBe(200);
    const usage = res.json;
    const sum = (key: string) => runs.reduce((n, r) => n + (r as any)[key], 0);
    expect(usage.thread_id).toBe(threadId);
    expect(usage.total_runs).toBe(2);
    expect(usage.total_tokens).toBe(sum("total_tokens"));
    expect(usage.total_input_tokens).toBe(sum("total_input_tokens"));
    expect(usage.total_output_tokens).toBe(sum("total_output_tokens"));
    expect(usage.total_tokens).toBeGreaterThan((runs[0] as any).total_tokens);
    expect(usage.by_model).toEqual({ [MODEL]: { tokens: usage.total_tokens, runs: 2 } });
    expect(usage.by_caller).toEqual({ lead_agent: usage.total_tokens, subagent: 0, middleware: 0 });

    // The journal's per-call usage agrees with the run counters.
    const ai = (await messages(threadId)).filter((m) => m.event_type === "llm.ai.response");
    expect(ai.map((m) => m.metadata.usage.total_tokens)).toEqual(runs.map((r) => (r as any).total_tokens));
  });

  it("a thread without runs has zero usage; include_active is accepted", async () => {
    const fresh = await t.client.threads.create();
    const res = await http(t.url, "GET", `/threads/${fresh.thread_id}/token-usage`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      thread_id: fresh.thread_id,
      total_tokens: 0,
      total_input_tokens: 0,
      total_output_tokens: 0,
      total_runs: 0,
      by_model: {},
      by_caller: { lead_agent: 0, subagent: 0, middleware: 0 },
    });
    const active = await http(t.url, "GET", `/threads/${fresh.thread_id}/token-usage?include_active=true`);
    expect(active.status).toBe(200);
    expect(active.json.total_runs).toBe(0);
  });

  it("running runs count only with include_active; interrupted runs never", async () => {
    const { threadId } = await threadWithTwoRuns();
    const slow = await t.client.runs.create(threadId, "slow", {
      input: {},
      config: { configurable: { step_ms: 200, total_steps: 20 } },
    });
    await waitForStatus(threadId, slow.run_id, "running");

    const finished = (await http(t.url, "GET", `/threads/${threadId}/token-usage`)).json;
    expect(finished.total_runs).toBe(2);
    for (const query of ["?include_active=true", "?include_active=1"]) {
      const active = await http(t.url, "GET", `/threads/${threadId}/token-usage${query}`);
      expect(active.status, query).toBe(200);
      expect(active.json.total_runs, query).toBe(3);
      expect(active.json.total_tokens, query).toBe(finished.total_tokens);
    }

    // Cancelled with action=interrupt: the run ends `interrupted` and is not counted.
    const cancel = await http(
      t.url,
      "POST",
      `/threads/${threadId}/runs/${slow.run_id}/cancel?wait=true&action=interrupt`,
    );
    expect(cancel.status).toBe(204);
    expect((await t.client.runs.get(threadId, slow.run_id)).status).toBe("interrupted");
    for (const query of ["", "?include_active=true"]) {
      const usage = (await http(t.url, "GET", `/threads/${threadId}/token-usage${query}`)).json;
      expect(usage.total_runs, query).toBe(2);
    }
  });
});

describe("unknown threads", () => {
  it("every audit endpoint answers 404 for an unknown thread", async () => {
    const routes = [
      `/threads/${MISSING}/messages`,
      `/threads/${MISSING}/runs/${MISSING}/messages`,
      `/threads/${MISSING}/runs/${MISSING}/events`,
      `/threads/${MISSING}/token-usage`,
    ];
    for (const route of routes) {
      const res = await http(t.url, "GET", route);
      expect(res.status, route).toBe(404);
      expect(typeof res.json.detail, route).toBe("string");
    }
  });

  it("a deleted thread's audit trail is gone", async () => {
    const { threadId, runIds } = await threadWithTwoRuns();
    await t.client.threads.delete(threadId);
    expect((await http(t.url, "GET", `/threads/${threadId}/messages`)).status).toBe(404);
    expect((await http(t.url, "GET", `/threads/${threadId}/runs/${runIds[0]}/events`)).status).toBe(404);
    await t.client.threads.create({ threadId });
    expect(await messages(threadId)).toEqual([]);
    expect((await http(t.url, "GET", `/threads/${threadId}/token-usage`)).json.total_runs).toBe(0);
  });
});
