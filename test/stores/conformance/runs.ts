/**
 * RunStore: insert, get/getJson, update, transition, the listings, usage and delete.
 * Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { RunStatus, Stores } from "../../../src/stores/types.ts";
import { ISO_MS, sleep, newRun, entry, ev } from "./helpers.ts";

export function describeRunStore(stores: () => Stores): void {
  describe("RunStore", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    beforeEach(async () => {
      await s.threads.create({ thread_id: "t1", metadata: {} });
      await s.threads.create({ thread_id: "t2", metadata: {} });
    });

    it("usageByThread sums the thread's runs in the given statuses, by caller and by model", async () => {
      const usage = (model: string, total: number) => ({
        [model]: { input_tokens: total - 1, output_tokens: 1, total_tokens: total, calls: 1 },
      });
      const runs: [string, string, RunStatus, number, Record<string, unknown>][] = [
        ["r1", "t1", "success", 10, { ...usage("m1", 4), ...usage("m2", 6) }],
        ["r2", "t1", "error", 5, usage("m1", 5)],
        ["r3", "t1", "interrupted", 100, usage("m1", 100)],
        ["r4", "t2", "success", 1000, usage("m1", 1000)],
      ];
      for (const [id, thread, status, total, byModel] of runs) {
        await s.runs.insert(newRun(id, thread));
        await s.runs.update(id, {
          status,
          counters: {
            total_tokens: total,
            total_input_tokens: total - 2,
            total_output_tokens: 2,
            lead_agent_tokens: total - 1,
            subagent_tokens: 1,
            token_usage_by_model: byModel as never,
          },
        });
      }
      expect(await s.runs.usageByThread("t1", ["success", "error"])).toEqual({
        total_runs: 2,
        total_tokens: 15,
        total_input_tokens: 11,
        total_output_tokens: 4,
        lead_agent_tokens: 13,
        subagent_tokens: 2,
        middleware_tokens: 0,
        by_model: { m1: { tokens: 9, runs: 2 }, m2: { tokens: 6, runs: 1 } },
      });
      expect((await s.runs.usageByThread("t1", ["success", "error", "interrupted"])).total_tokens).toBe(115);
      expect(await s.runs.usageByThread("nope", ["success"])).toEqual({
        total_runs: 0,
        total_tokens: 0,
        total_input_tokens: 0,
        total_output_tokens: 0,
        lead_agent_tokens: 0,
        subagent_tokens: 0,
        middleware_tokens: 0,
        by_model: {},
      });
    });

    it("insert fills defaults and get returns the record", async () => {
      const r = await s.runs.insert(newRun("r1", "t1", { multitask_strategy: "enqueue" }));
      expect(r).toEqual({
        run_id: "r1",
        thread_id: "t1",
        assistant_id: "agent",
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
        status: "pending",
        metadata: { source: "test" },
        kwargs: { input: { messages: [{ role: "user", content: "hi from r1" }] }, stream_mode: ["values"] },
        multitask_strategy: "enqueue",
        error: null,
        stop_reason: null,
        attempt: 1,
        owner_id: null,
        total_input_tokens: 0,
        total_output_tokens: 0,
        total_tokens: 0,
        llm_call_count: 0,
        lead_agent_tokens: 0,
        subagent_tokens: 0,
        middleware_tokens: 0,
        token_usage_by_model: {},
        message_count: 0,
      });
      expect(r.updated_at).toBe(r.created_at);
      expect(await s.runs.get("r1")).toEqual(r);
      expect(await s.runs.get("nope")).toBeNull();
    });

    it("getJson is the record without owner_id, with its feedback counts, as the JSON the API sends", async () => {
      await s.runs.insert(
        newRun("r1", "t1", {
          owner_id: "alice",
          metadata: {
            source: "test",
            nested: { n: 1.5, big: 1e21, tiny: 5e-7, neg: -0.1, list: [true, null, "x"] },
            ünï: "☃ 😀",
            control: "\u0001\u001f\t\b\f\r\u007f\u2028",
          },
          kwargs: { input: { messages: [{ role: "user", content: 'quote " and \\ and \n' }] }, config: {} },
        }),
      );
      const record = (await s.runs.transition("r1", ["pending"], "error", {
        error: 'boom: "quoted" \\ \n\u0000 end',
        counters: {
          total_input_tokens: 3,
          total_output_tokens: 4,
          total_tokens: 7,
          llm_call_count: 1,
          lead_agent_tokens: 7,
          token_usage_by_model: { "model-a": { input_tokens: 3, output_tokens: 4, total_tokens: 7, calls: 1 } },
          message_count: 2,
        },
      }))!;
      const { owner_id, ...fields } = record;
      expect(owner_id).toBe("alice");
      const wire = { ...fields, feedback: { total: 0, positive: 0, negative: 0 } };
      const found = await s.runs.getJson("r1");
      expect(found!.thread_id).toBe("t1");
      expect(JSON.parse(found!.json)).toEqual(wire);
      // Same fields in the same order as serialising the record would give.
      expect(found!.json).toBe(JSON.stringify(wire));
      expect(await s.runs.getJson("nope")).toBeNull();
    });

    it("getJson of a finished run read before follows later updates, feedback and deletes", async () => {
      await s.runs.insert(newRun("r1", "t1"));
      await s.runs.insert(newRun("r2", "t1"));
      await s.runs.transition("r1", ["pending"], "running");
      expect(JSON.parse((await s.runs.getJson("r1"))!.json).status).toBe("running");
      await s.runs.transition("r1", ["running"], "success");
      await s.runs.transition("r2", ["pending"], "error", { error: "boom" });
      for (let i = 0; i < 2; i++) expect(JSON.parse((await s.runs.getJson("r1"))!.json).status).toBe("success");
      await s.runs.update("r1", { counters: { total_tokens: 42 } });
      expect(JSON.parse((await s.runs.getJson("r1"))!.json).total_tokens).toBe(42);
      await s.runs.transition("r1", ["success"], "timeout");
      expect(JSON.parse((await s.runs.getJson("r1"))!.json).status).toBe("timeout");
      expect(JSON.parse((await s.runs.getJson("r2"))!.json).error).toBe("boom");
      // Feedback written on a finished run shows in its JSON at once.
      const feedbackOf = async (runId: string) => JSON.parse((await s.runs.getJson(runId))!.json).feedback;
      await s.feedback.upsert({ feedback_id: "f1", run_id: "r1", thread_id: "t1", user_id: "u", rating: -1 });
      expect(await feedbackOf("r1")).toEqual({ total: 1, positive: 0, negative: 1 });
      await s.feedback.insert({ feedback_id: "f2", run_id: "r1", thread_id: "t1", user_id: "v", rating: 1 });
      expect(await feedbackOf("r1")).toEqual({ total: 2, positive: 1, negative: 1 });
      await s.feedback.deleteByUser("r1", "u");
      expect(await feedbackOf("r1")).toEqual({ total: 1, positive: 1, negative: 0 });
      await s.feedback.deleteById("f2", "r1", "v");
      expect(await feedbackOf("r1")).toEqual({ total: 0, positive: 0, negative: 0 });
      expect(await s.runs.delete("r2")).toBe(true);
      expect(await s.runs.getJson("r2")).toBeNull();
      expect(await s.threads.delete("t1")).toBe(true);
      expect(await s.runs.getJson("r1")).toBeNull();
    });

    it("insert honours status and owner_id; several pending runs per thread are allowed", async () => {
      const a = await s.runs.insert(newRun("r1", "t1", { status: "running", owner_id: "alice" }));
      expect(a).toMatchObject({ status: "running", owner_id: "alice" });
      await s.runs.insert(newRun("r2", "t1", { multitask_strategy: "enqueue" }));
      await s.runs.insert(newRun("r3", "t1", { multitask_strategy: "enqueue" }));
      expect((await s.runs.activeForThread("t1")).map((r) => r.run_id)).toEqual(["r1", "r2", "r3"]);
    });

    it("insert rejects a duplicate run_id", async () => {
      await s.runs.insert(newRun("r1", "t1"));
      await expect(s.runs.insert(newRun("r1", "t2"))).rejects.toThrow();
      expect((await s.runs.get("r1"))!.thread_id).toBe("t1");
    });

    it("update sets status, error, stop_reason and partial counters; bumps updated_at", async () => {
      const r = await s.runs.insert(newRun("r1", "t1"));
      await sleep(5);
      const u = await s.runs.update("r1", {
        status: "running",
        counters: { total_input_tokens: 10, total_output_tokens: 5, total_tokens: 15, llm_call_count: 1 },
      });
      expect(u).toMatchObject({
        status: "running",
        total_input_tokens: 10,
        total_output_tokens: 5,
        total_tokens: 15,
        llm_call_count: 1,
        lead_agent_tokens: 0,
        token_usage_by_model: {},
        error: null,
      });
      expect(u!.updated_at > r.updated_at).toBe(true);
      expect(u!.created_at).toBe(r.created_at);

      const byModel = { "gpt-x": { input_tokens: 10, output_tokens: 5, total_tokens: 15, calls: 1 } };
      const v = await s.runs.update("r1", {
        status: "error",
        error: "boom",
        stop_reason: "exception",
        counters: {
          lead_agent_tokens: 12,
          subagent_tokens: 2,
          middleware_tokens: 1,
          message_count: 3,
          token_usage_by_model: byModel,
        },
      });
      expect(v).toMatchObject({
        status: "error",
        error: "boom",
        stop_reason: "exception",
        total_tokens: 15, // untouched
        lead_agent_tokens: 12,
        subagent_tokens: 2,
        middleware_tokens: 1,
        message_count: 3,
        token_usage_by_model: byModel,
      });
      const w = await s.runs.update("r1", { error: null, stop_reason: null });
      expect(w).toMatchObject({ status: "error", error: null, stop_reason: null, total_tokens: 15 });
      // counters are replaced, not added
      const x = await s.runs.update("r1", { counters: { total_tokens: 0 } });
      expect(x!.total_tokens).toBe(0);
      expect(await s.runs.get("r1")).toEqual(x);
      expect(await s.runs.update("nope", { status: "success" })).toBeNull();
    });

    it("transition is a compare-and-set on the status", async () => {
      await s.runs.insert(newRun("r1", "t1"));
      const a = await s.runs.transition("r1", ["pending"], "running");
      expect(a).toMatchObject({ run_id: "r1", status: "running" });
      expect(await s.runs.transition("r1", ["pending"], "running")).toBeNull();
      expect((await s.runs.get("r1"))!.status).toBe("running");

      const b = await s.runs.transition("r1", ["pending", "running"], "interrupted", {
        stop_reason: "user",
        counters: { total_tokens: 42 },
      });
      expect(b).toMatchObject({ status: "interrupted", stop_reason: "user", total_tokens: 42, error: null });
      // an already-final run does not move, and the patch is not applied
      expect(await s.runs.transition("r1", ["pending", "running"], "error", { error: "late" })).toBeNull();
      expect(await s.runs.get("r1")).toEqual(b);
      // same-status transitions are allowed when listed
      expect(await s.runs.transition("r1", ["interrupted"], "interrupted")).toMatchObject({
        status: "interrupted",
      });
      expect(await s.runs.transition("nope", ["pending"], "running")).toBeNull();
      expect(await s.runs.transition("r1", [], "running")).toBeNull();
    });

    it("transition admits exactly one of concurrent claimers", async () => {
      await s.runs.insert(newRun("r1", "t1"));
      const results = await Promise.all(
        Array.from({ length: 10 }, () => s.runs.transition("r1", ["pending"], "running")),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it("listByThread is newest first and honours status, limit and offset", async () => {
      for (const id of ["r1", "r2", "r3", "r4"]) {
        await s.runs.insert(newRun(id, "t1", { status: id === "r2" || id === "r4" ? "success" : "pending" }));
        await sleep(3);
      }
      await s.runs.insert(newRun("o1", "t2"));
      const all = await s.runs.listByThread("t1", { limit: 10, offset: 0 });
      expect(all.map((r) => r.run_id)).toEqual(["r4", "r3", "r2", "r1"]);
      expect(all[0]).toEqual(await s.runs.get("r4"));
      expect((await s.runs.listByThread("t1", { limit: 2, offset: 1 })).map((r) => r.run_id)).toEqual(["r3", "r2"]);
      expect(
        (await s.runs.listByThread("t1", { limit: 10, offset: 0, status: "success" })).map((r) => r.run_id),
      ).toEqual(["r4", "r2"]);
      expect(
        (await s.runs.listByThread("t1", { limit: 1, offset: 1, status: "success" })).map((r) => r.run_id),
      ).toEqual(["r2"]);
      expect(await s.runs.listByThread("t1", { limit: 10, offset: 0, status: "timeout" })).toEqual([]);
      expect(await s.runs.listByThread("nope", { limit: 10, offset: 0 })).toEqual([]);
    });

    it("listByThread breaks created_at ties by run_id desc", async () => {
      // inserted back to back, possibly within the same millisecond
      for (const id of ["a", "b", "c"]) await s.runs.insert(newRun(id, "t1"));
      const got = (await s.runs.listByThread("t1", { limit: 10, offset: 0 })).map((r) => r.run_id);
      const records = await Promise.all(got.map((id) => s.runs.get(id)));
      const expected = [...records]
        .sort((x, y) =>
          x!.created_at === y!.created_at ? (x!.run_id < y!.run_id ? 1 : -1) : x!.created_at < y!.created_at ? 1 : -1,
        )
        .map((r) => r!.run_id);
      expect(got).toEqual(expected);
    });

    it("activeForThread returns only pending/running runs of that thread", async () => {
      await s.runs.insert(newRun("r1", "t1", { status: "success" }));
      await s.runs.insert(newRun("r2", "t1", { status: "running" }));
      await sleep(2);
      await s.runs.insert(newRun("r3", "t1"));
      await s.runs.insert(newRun("o1", "t2"));
      expect((await s.runs.activeForThread("t1")).map((r) => r.run_id).sort()).toEqual(["r2", "r3"]);
      expect(await s.runs.activeForThread("nope")).toEqual([]);
    });

    it("listActive lists runs in the given active statuses, oldest first across threads", async () => {
      await s.runs.insert(newRun("r1", "t1", { status: "running" }));
      await sleep(3);
      await s.runs.insert(newRun("r2", "t2"));
      await sleep(3);
      await s.runs.insert(newRun("r3", "t1", { status: "success" }));
      await sleep(3);
      await s.runs.insert(newRun("r4", "t2", { status: "running" }));
      expect((await s.runs.listActive(["pending", "running"])).map((r) => r.run_id)).toEqual(["r1", "r2", "r4"]);
      expect((await s.runs.listActive(["running"])).map((r) => r.run_id)).toEqual(["r1", "r4"]);
      expect((await s.runs.listActive(["pending"])).map((r) => r.run_id)).toEqual(["r2"]);
      expect(await s.runs.listActive([])).toEqual([]);
      // a run that ends leaves the list
      await s.runs.transition("r1", ["running"], "success");
      expect((await s.runs.listActive(["pending", "running"])).map((r) => r.run_id)).toEqual(["r2", "r4"]);
    });

    it("get, getJson and listActive within a scope see only runs of threads the scope sees", async () => {
      await s.threads.create({ thread_id: "ta", metadata: { org: "acme" }, owner_id: "alice" });
      await s.threads.create({ thread_id: "tb", metadata: { org: "other" }, owner_id: "bob" });
      await s.runs.insert(newRun("ra", "ta", { status: "running", owner_id: "alice" }));
      await sleep(2);
      await s.runs.insert(newRun("rb", "tb", { owner_id: "bob" }));
      const alice = { owner_id: "alice" };
      expect((await s.runs.get("ra", alice))?.run_id).toBe("ra");
      expect(await s.runs.get("rb", alice)).toBeNull();
      expect((await s.runs.get("rb", { filters: { org: "other" } }))?.run_id).toBe("rb");
      expect(await s.runs.get("rb", { owner_id: "bob", filters: { org: "acme" } })).toBeNull();
      expect((await s.runs.getJson("ra", alice))?.thread_id).toBe("ta");
      expect(await s.runs.getJson("rb", alice)).toBeNull();
      expect(await s.runs.getJson("nope", alice)).toBeNull();
      await s.runs.transition("rb", ["pending"], "success");
      expect(await s.runs.getJson("rb")).not.toBeNull(); // now cached as finished: the scope still applies
      expect(await s.runs.getJson("rb", alice)).toBeNull();
      await s.runs.transition("rb", ["success"], "pending");
      expect((await s.runs.listActive(["pending", "running"], alice)).map((r) => r.run_id)).toEqual(["ra"]);
      expect((await s.runs.listActive(["pending", "running"], { owner_id: "bob" })).map((r) => r.run_id)).toEqual([
        "rb",
      ]);
      expect((await s.runs.listActive(["pending", "running"], { owner_id: "carol" })).length).toBe(0);
      expect((await s.runs.listActive(["pending", "running"], {})).map((r) => r.run_id)).toEqual(["ra", "rb"]);
    });

    it("delete removes the run (with its stream events and journal entries) only", async () => {
      await s.runs.insert(newRun("r1", "t1", { status: "success" }));
      await s.runs.insert(newRun("r2", "t1", { status: "success" }));
      await s.streamEvents.append([ev("r1", 0), ev("r2", 0)]);
      await s.journal.append([entry("t1", "r1", "run.start", "trace"), entry("t1", "r2", "run.start", "trace")]);
      expect(await s.runs.delete("r1")).toBe(true);
      expect(await s.runs.get("r1")).toBeNull();
      expect(await s.runs.delete("r1")).toBe(false);
      expect(await s.streamEvents.list("r1", -1)).toEqual([]);
      expect((await s.journal.listRunEvents("r1", { limit: 10 })).data).toEqual([]);
      expect(await s.runs.get("r2")).not.toBeNull();
      expect(await s.streamEvents.list("r2", -1)).toHaveLength(1);
      expect((await s.journal.listRunEvents("r2", { limit: 10 })).data).toHaveLength(1);
      expect(await s.threads.get("t1")).not.toBeNull();
    });
  });
}
