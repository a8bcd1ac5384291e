/**
 * Run options through the official SDK, one behaviour per test: breakpoints
 * (interrupt_before / interrupt_after), commands (resume / update / goto),
 * forking from a checkpoint, config / context / metadata, recursion_limit and
 * feedback_keys. Real HTTP, real SQLite, real graphs.
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

type Value = { value: string[] };
type Steps = { steps: string[] };

async function newThread(): Promise<string> {
  return (await t.client.threads.create()).thread_id;
}

/** Runs to the end (runs.create + join) and returns the run record as stored. */
async function runToEnd(threadId: string, graph: string, payload: Record<string, unknown>) {
  const run = await t.client.runs.create(threadId, graph, payload as any);
  await t.client.runs.join(threadId, run.run_id);
  return t.client.runs.get(threadId, run.run_id);
}

describe("interrupt_before / interrupt_after", () => {
  it('interrupt_before "*" stops before the first node; a run with input null continues', async () => {
    const threadId = await newThread();
    const run = await runToEnd(threadId, "two_node", { input: { value: [] }, interruptBefore: "*" });
    expect(run.status).toBe("success");
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.next).toEqual(["first"]);
    expect(state.values).toEqual({ value: [] });
    expect((await t.client.threads.get(threadId)).status).toBe("interrupted");

    const final = (await t.client.runs.wait(threadId, "two_node", { input: null })) as Value;
    expect(final.value).toEqual(["first", "second"]);
    expect((await t.client.threads.get(threadId)).status).toBe("idle");
  });

  it("interrupt_before [node] stops before that node only", async () => {
    const threadId = await newThread();
    await runToEnd(threadId, "two_node", { input: { value: [] }, interruptBefore: ["second"] });
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.next).toEqual(["second"]);
    expect(state.values.value).toEqual(["first"]);
    expect((await t.client.threads.get(threadId)).status).toBe("interrupted");

    const final = (await t.client.runs.wait(threadId, "two_node", { input: null })) as Value;
    expect(final.value).toEqual(["first", "second"]);
  });

  it('interrupt_after "*" stops after the first node that ran', async () => {
    const threadId = await newThread();
    await runToEnd(threadId, "two_node", { input: { value: [] }, interruptAfter: "*" });
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.next).toEqual(["second"]);
    expect(state.values.value).toEqual(["first"]);
    expect((await t.client.threads.get(threadId)).status).toBe("interrupted");

    const final = (await t.client.runs.wait(threadId, "two_node", { input: null })) as Value;
    expect(final.value).toEqual(["first", "second"]);
    expect((await t.client.threads.get(threadId)).status).toBe("idle");
  });

  it("interrupt_after [node] stops after that node only", async () => {
    const threadId = await newThread();
    await runToEnd(threadId, "two_node", { input: { value: [] }, interruptAfter: ["first"] });
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.next).toEqual(["second"]);
    expect(state.values.value).toEqual(["first"]);

    const final = (await t.client.runs.wait(threadId, "two_node", { input: null })) as Value;
    expect(final.value).toEqual(["first", "second"]);
  });

  it("a breakpoint naming a node the graph does not have is accepted (as LangGraph does); the others apply", async () => {
    const threadId = await newThread();
    for (const field of ["interrupt_before", "interrupt_after"]) {
      const res = await http(t.url, "POST", `/threads/${threadId}/runs/wait`, {
        assistant_id: "two_node",
        input: { value: [] },
        [field]: ["first", "nowhere"],
        multitask_strategy: "enqueue",
      });
      expect(res.status, res.text).toBe(200);
    }
    const runs = await t.client.runs.list(threadId);
    expect(runs.map((r) => r.status)).toEqual(["success", "success"]);
    // The first run stopped before `first`; the second (new input, from the start) after it.
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.values.value).toEqual(["first"]);
    expect(state.next).toEqual(["second"]);
  });
});

describe("command", () => {
  it("resume answers the interrupt and the answer is stored", async () => {
    const threadId = await newThread();
    await t.client.runs.wait(threadId, "interrupt", { input: {} });
    expect((await t.client.threads.getState(threadId)).next).toEqual(["ask"]);

    const run = await runToEnd(threadId, "interrupt", { command: { resume: "yes" } });
    expect(run.status).toBe("success");
    expect((run as any).kwargs.command).toEqual({ resume: "yes" });
    const state = await t.client.threads.getState(threadId);
    expect(state.values).toEqual({ answer: "yes" });
    expect(state.next).toEqual([]);
    expect((await t.client.threads.get(threadId)).status).toBe("idle");
  });

  it("resume with a structured value stores it as given", async () => {
    const threadId = await newThread();
    await t.client.runs.wait(threadId, "interrupt", { input: {} });
    const values = await t.client.runs.wait(threadId, "interrupt", { command: { resume: { ok: true, n: 2 } } });
    expect(values).toEqual({ answer: { ok: true, n: 2 } });
  });

  it("update changes the state before the paused run continues", async () => {
    const threadId = await newThread();
    await runToEnd(threadId, "two_node", { input: { value: [] }, interruptBefore: ["second"] });
    const final = (await t.client.runs.wait(threadId, "two_node", {
      command: { update: { value: ["updated"] } },
    })) as Value;
    expect(final.value).toEqual(["first", "updated", "second"]);
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.values.value).toEqual(["first", "updated", "second"]);
  });

  it("goto jumps to the named node (skipping the ones before it)", async () => {
    const threadId = await newThread();
    await t.client.runs.wait(threadId, "two_node", { input: { value: [] } });
    const final = (await t.client.runs.wait(threadId, "two_node", { command: { goto: "second" } })) as Value;
    expect(final.value).toEqual(["first", "second", "second"]);
    const history = await t.client.threads.getHistory(threadId, { limit: 3 });
    // The jump ran "second" only: no checkpoint of this run scheduled "first".
    expect(history.every((s) => !(s.next as string[]).includes("first"))).toBe(true);
  });

  it("update and goto together", async () => {
    const threadId = await newThread();
    await t.client.runs.wait(threadId, "two_node", { input: { value: [] } });
    const final = (await t.client.runs.wait(threadId, "two_node", {
      command: { update: { value: ["both"] }, goto: "first" },
    })) as Value;
    expect(final.value).toEqual(["first", "second", "both", "first", "second"]);
  });
});

describe("checkpoint_id / checkpoint (fork)", () => {
  async function twoRuns() {
    const threadId = await newThread();
    await t.client.runs.wait(threadId, "two_node", { input: { value: ["one"] } });
    const afterFirstRun = (await t.client.threads.getState<Value>(threadId)).checkpoint;
    await t.client.runs.wait(threadId, "two_node", { input: { value: ["two"] } });
    const latest = await t.client.threads.getState<Value>(threadId);
    expect(latest.values.value).toEqual(["one", "first", "second", "two", "first", "second"]);
    return { threadId, afterFirstRun, latestId: latest.checkpoint.checkpoint_id };
  }

  it("checkpoint_id runs from the first run's final checkpoint, not the latest", async () => {
    const { threadId, afterFirstRun, latestId } = await twoRuns();
    const final = (await t.client.runs.wait(threadId, "two_node", {
      input: { value: ["fork"] },
      checkpointId: afterFirstRun.checkpoint_id!,
    })) as Value;
    expect(final.value).toEqual(["one", "first", "second", "fork", "first", "second"]);
    const state = await t.client.threads.getState<Value>(threadId);
    expect(state.values.value).toEqual(["one", "first", "second", "fork", "first", "second"]);
    // The fork descends from the first run's checkpoint; the second run's branch is still there.
    const history = await t.client.threads.getHistory(threadId, { limit: 100 });
    const ids = history.map((s) => s.checkpoint.checkpoint_id);
    expect(ids).toContain(latestId);
    // Two children of that checkpoint: the second run's input and the fork's.
    const children = history.filter((s) => s.parent_checkpoint?.checkpoint_id === afterFirstRun.checkpoint_id);
    expect(children.map((s) => s.metadata?.source)).toEqual(["input", "input"]);
    expect(children.map((s) => s.metadata?.run_id)).toEqual([
      (await t.client.runs.list(threadId))[0].run_id, // the fork run, newest
      (await t.client.runs.list(threadId))[1].run_id,
    ]);
    expect((await t.client.threads.get(threadId)).values).toEqual({
      value: ["one", "first", "second", "fork", "first", "second"],
    });
  });

  it("checkpoint (a reference) forks the same way", async () => {
    const { threadId, afterFirstRun } = await twoRuns();
    const final = (await t.client.runs.wait(threadId, "two_node", {
      input: { value: ["ref"] },
      checkpoint: { thread_id: threadId, checkpoint_ns: "", checkpoint_id: afterFirstRun.checkpoint_id! } as any,
    })) as Value;
    expect(final.value).toEqual(["one", "first", "second", "ref", "first", "second"]);
  });

  it("a checkpoint whose thread_id is another thread is 422 naming the field, and nothing starts", async () => {
    const { threadId: other, afterFirstRun } = await twoRuns();
    const threadId = await newThread();
    const res = await http(t.url, "POST", `/threads/${threadId}/runs`, {
      assistant_id: "two_node",
      input: { value: [] },
      checkpoint: { thread_id: other, checkpoint_ns: "", checkpoint_id: afterFirstRun.checkpoint_id },
    });
    expect(res.status).toBe(422);
    expect(res.json.detail.map((d: { loc: string[] }) => d.loc.join("."))).toEqual(["body.checkpoint.thread_id"]);
    await expect(
      t.client.runs.wait(threadId, "two_node", {
        input: { value: [] },
        checkpoint: { thread_id: other, checkpoint_id: afterFirstRun.checkpoint_id } as any,
      }),
    ).rejects.toThrow(/422/);
    expect(await t.client.runs.list(threadId)).toEqual([]);
    const thread = await t.client.threads.get(threadId);
    expect(thread.status).toBe("idle");
    expect(thread.metadata).toEqual({});
    expect(await t.client.threads.getHistory(threadId)).toEqual([]);
  });
});

describe("config / context / metadata", () => {
  it("request metadata lands on the run record and in the checkpoint metadata of its checkpoints", async () => {
    const threadId = await newThread();
    const run = await runToEnd(threadId, "two_node", {
      input: { value: [] },
      metadata: { origin: "run-options", n: 7 },
      config: { metadata: { from_config: "yes" } },
    });
    expect(run.metadata).toMatchObject({ origin: "run-options", n: 7 });
    const history = await t.client.threads.getHistory(threadId, { metadata: { run_id: run.run_id } });
    expect(history).toHaveLength(4);
    for (const s of history) {
      expect(s.metadata).toMatchObject({ origin: "run-options", n: 7, from_config: "yes", run_id: run.run_id });
    }
    expect(await t.client.threads.getHistory(threadId, { metadata: { origin: "run-options" } })).toHaveLength(4);
  });

  it("config.configurable reaches the graph (slow reads configurable.total_steps)", async () => {
    const threadId = await newThread();
    const values = (await t.client.runs.wait(threadId, "slow", {
      input: {},
      config: { configurable: { total_steps: 2, step_ms: 1 } },
    })) as Steps;
    expect(values.steps).toEqual(["step-1", "step-2"]);
  });

  it("context reaches the graph, and configurable wins where both are given", async () => {
    const threadId = await newThread();
    const fromContext = (await t.client.runs.wait(threadId, "slow", {
      input: {},
      context: { total_steps: 3, step_ms: 1 },
    })) as Steps;
    expect(fromContext.steps).toEqual(["step-1", "step-2", "step-3"]);

    const other = await newThread();
    const both = (await t.client.runs.wait(other, "slow", {
      input: {},
      config: { configurable: { total_steps: 1, step_ms: 1 } },
      context: { total_steps: 4, step_ms: 1 },
    })) as Steps;
    expect(both.steps).toEqual(["step-1"]);
  });

  it("the run keeps config and context as given", async () => {
    const threadId = await newThread();
    const run = await runToEnd(threadId, "slow", {
      input: {},
      config: { configurable: { total_steps: 1, step_ms: 1 }, tags: ["t1"] },
      context: { note: "ctx" },
    });
    const kwargs = (run as any).kwargs;
    expect(kwargs.config).toMatchObject({ configurable: { total_steps: 1, step_ms: 1 }, tags: ["t1"] });
    expect(kwargs.context).toEqual({ note: "ctx" });
  });
});

describe("recursion_limit", () => {
  it("slow with total_steps 50 and recursion_limit 5 ends as error naming the recursion limit, with an error event", async () => {
    const threadId = await newThread();
    const events: { event: string; data: any }[] = [];
    let runId = "";
    for await (const chunk of t.client.runs.stream(threadId, "slow", {
      input: {},
      config: { recursion_limit: 5, configurable: { total_steps: 50, step_ms: 1 } },
      streamMode: "values",
      onRunCreated: (m) => {
        runId = m.run_id;
      },
    })) {
      events.push(chunk as any);
    }
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("metadata");
    expect(names.at(-1)).toBe("error");
    const error = events.find((e) => e.event === "error");
    expect(error?.data.error).toBe("GraphRecursionError");
    expect(error?.data.message).toMatch(/recursion limit of 5/i);

    const run = await t.client.runs.get(threadId, runId);
    expect(run.status).toBe("error");
    expect((run as any).error).toMatch(/GraphRecursionError/);
    expect((await t.client.threads.get(threadId)).status).toBe("error");
    // It stopped at the limit: far fewer than 50 steps were checkpointed.
    const steps = (await t.client.threads.getState<Steps>(threadId)).values.steps;
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThanOrEqual(5);
  });

  it("a run within the limit is unaffected", async () => {
    const threadId = await newThread();
    const values = (await t.client.runs.wait(threadId, "slow", {
      input: {},
      config: { recursion_limit: 10, configurable: { total_steps: 3, step_ms: 1 } },
    })) as Steps;
    expect(values.steps).toHaveLength(3);
  });
});

describe("feedback_keys", () => {
  it("is stored on the run (run.kwargs.feedback_keys)", async () => {
    const threadId = await newThread();
    const run = await runToEnd(threadId, "two_node", { input: { value: [] }, feedbackKeys: ["thumbs", "rating"] });
    expect((run as any).kwargs.feedback_keys).toEqual(["thumbs", "rating"]);
    const [listed] = await t.client.runs.list(threadId);
    expect((listed as any).kwargs.feedback_keys).toEqual(["thumbs", "rating"]);
  });
});
