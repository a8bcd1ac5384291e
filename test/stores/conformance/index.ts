/**
 * Backend-agnostic conformance tests for the storage contracts in src/stores/types.ts.
 * Each backend calls `describeStoreConformance(name, open)`; `open` must return a fresh, empty set of stores
 * every time it is called (a new file, schema or database), and `close()` releases it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyCheckpoint, uuid6, type CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import type {
  NewJournalEntry,
  NewRun,
  RunStatus,
  StreamEventRecord,
  Stores,
  ThreadRecord,
} from "../../../src/stores/types.ts";

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newRun(run_id: string, thread_id: string, extra: Partial<NewRun> = {}): NewRun {
  return {
    run_id,
    thread_id,
    assistant_id: "agent",
    metadata: { source: "test" },
    kwargs: { input: { messages: [{ role: "user", content: `hi from ${run_id}` }] }, stream_mode: ["values"] },
    multitask_strategy: "reject",
    ...extra,
  };
}

function entry(
  thread_id: string,
  run_id: string,
  event_type: string,
  category: NewJournalEntry["category"],
  content: unknown = { text: event_type },
  metadata: Record<string, unknown> = {},
): NewJournalEntry {
  return { thread_id, run_id, event_type, category, content, metadata };
}

function ev(run_id: string, seq: number, event = "values", data?: string): StreamEventRecord {
  return { run_id, seq, event, data: data ?? JSON.stringify({ seq, run_id }) };
}

/** Writes a minimal checkpoint (plus one pending write) tagged with `run_id` through the checkpointer API. */
async function putCheckpoint(stores: Stores, thread_id: string, run_id: string, checkpoint_ns = ""): Promise<string> {
  const cp = emptyCheckpoint();
  cp.id = uuid6(-1);
  const metadata = { source: "loop", step: 0, parents: {}, run_id } as CheckpointMetadata;
  await stores.checkpointer.put({ configurable: { thread_id, checkpoint_ns } }, cp, metadata, {});
  await stores.checkpointer.putWrites(
    { configurable: { thread_id, checkpoint_ns, checkpoint_id: cp.id } },
    [["messages", { written_by: run_id }]],
    `task-${run_id}`,
  );
  return cp.id;
}

async function listCheckpoints(stores: Stores, thread_id: string, checkpoint_ns = "") {
  const out = [];
  for await (const t of stores.checkpointer.list({ configurable: { thread_id, checkpoint_ns } })) out.push(t);
  return out;
}

export function describeStoreConformance(name: string, open: () => Promise<Stores>): void {
  describe(`${name} store conformance`, () => {
    let s: Stores;

    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => {
      await s.close();
    });

    // ------------------------------------------------------------------------------------------------ threads
    describe("ThreadStore", () => {
      it("create fills defaults and get returns the same record", async () => {
        const t = await s.threads.create({ thread_id: "t1", metadata: { a: 1 } });
        expect(t).not.toBeNull();
        expect(t).toEqual({
          thread_id: "t1",
          created_at: expect.stringMatching(ISO_MS),
          updated_at: expect.stringMatching(ISO_MS),
          metadata: { a: 1 },
          status: "idle",
          config: {},
          values: null,
          interrupts: {},
          owner_id: null,
        });
        expect(t!.updated_at).toBe(t!.created_at);
        expect(await s.threads.get("t1")).toEqual(t);
      });

      it("create honours status, config and owner_id", async () => {
        const t = await s.threads.create({
          thread_id: "t1",
          metadata: {},
          status: "busy",
          config: { configurable: { model: "x" } },
          owner_id: "alice",
        });
        expect(t).toMatchObject({ status: "busy", config: { configurable: { model: "x" } }, owner_id: "alice" });
        expect(await s.threads.get("t1")).toEqual(t);
      });

      it("create returns null when the id exists and leaves the row untouched", async () => {
        const first = await s.threads.create({ thread_id: "t1", metadata: { v: 1 } });
        expect(await s.threads.create({ thread_id: "t1", metadata: { v: 2 }, owner_id: "bob" })).toBeNull();
        expect(await s.threads.get("t1")).toEqual(first);
      });

      it("get returns null for an unknown id", async () => {
        expect(await s.threads.get("nope")).toBeNull();
      });

      it("update merges metadata shallowly, replaces other fields and bumps updated_at", async () => {
        const t = await s.threads.create({
          thread_id: "t1",
          metadata: { keep: "k", over: "old", nested: { a: 1, b: 2 } },
          config: { c: 1 },
        });
        await sleep(5);
        const u = await s.threads.update("t1", {
          metadata: { over: "new", nested: { a: 9 }, added: true },
          status: "interrupted",
          values: { messages: [{ type: "human", content: "hi" }] },
          interrupts: { task1: [{ value: "approve?" }] },
          config: { d: 2 },
        });
        expect(u).toEqual({
          ...t,
          updated_at: expect.stringMatching(ISO_MS),
          metadata: { keep: "k", over: "new", nested: { a: 9 }, added: true },
          status: "interrupted",
          values: { messages: [{ type: "human", content: "hi" }] },
          interrupts: { task1: [{ value: "approve?" }] },
          config: { d: 2 },
        });
        expect(u!.created_at).toBe(t!.created_at);
        expect(u!.updated_at > t!.updated_at).toBe(true);
        expect(await s.threads.get("t1")).toEqual(u);
      });

      it("update leaves unspecified fields alone and can clear values", async () => {
        await s.threads.create({ thread_id: "t1", metadata: { m: 1 }, config: { c: 1 } });
        await s.threads.update("t1", { values: { x: 1 } });
        const a = await s.threads.update("t1", { status: "busy" });
        expect(a).toMatchObject({ metadata: { m: 1 }, config: { c: 1 }, values: { x: 1 }, status: "busy" });
        const b = await s.threads.update("t1", { values: null });
        expect(b!.values).toBeNull();
        expect(b!.status).toBe("busy");
        await sleep(5);
        const c = await s.threads.update("t1", {});
        expect(c).toMatchObject({ metadata: { m: 1 }, config: { c: 1 }, values: null, status: "busy" });
        expect(c!.updated_at > b!.updated_at).toBe(true);
      });

      it("update returns null for an unknown thread", async () => {
        expect(await s.threads.update("nope", { status: "busy" })).toBeNull();
        expect(await s.threads.get("nope")).toBeNull();
      });

      it("delete removes the thread with its runs, stream events, journal and checkpoints only", async () => {
        for (const id of ["t1", "t2"]) {
          await s.threads.create({ thread_id: id, metadata: {} });
          await s.runs.insert(newRun(`${id}-r1`, id));
          await s.runs.insert(newRun(`${id}-r2`, id, { status: "success" }));
          await s.streamEvents.append([ev(`${id}-r1`, 0), ev(`${id}-r1`, 1), ev(`${id}-r2`, 0)]);
          await s.journal.append([entry(id, `${id}-r1`, "llm.human.input", "message")]);
          await putCheckpoint(s, id, `${id}-r1`);
        }
        expect(await s.threads.delete("t1")).toBe(true);

        expect(await s.threads.get("t1")).toBeNull();
        expect(await s.runs.get("t1-r1")).toBeNull();
        expect(await s.runs.get("t1-r2")).toBeNull();
        expect(await s.runs.listByThread("t1", { limit: 10, offset: 0 })).toEqual([]);
        expect(await s.streamEvents.list("t1-r1", -1)).toEqual([]);
        expect(await s.streamEvents.list("t1-r2", -1)).toEqual([]);
        expect((await s.journal.listThreadMessages("t1", { limit: 10 })).data).toEqual([]);
        expect(await s.checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: "" } })).toBeUndefined();

        // the other thread is untouched
        expect(await s.threads.get("t2")).not.toBeNull();
        expect(await s.runs.listByThread("t2", { limit: 10, offset: 0 })).toHaveLength(2);
        expect(await s.streamEvents.list("t2-r1", -1)).toHaveLength(2);
        expect((await s.journal.listThreadMessages("t2", { limit: 10 })).data).toHaveLength(1);
        const cp = await s.checkpointer.getTuple({ configurable: { thread_id: "t2", checkpoint_ns: "" } });
        expect(cp?.metadata).toMatchObject({ run_id: "t2-r1" });
        expect(cp?.pendingWrites).toHaveLength(1);

        expect(await s.threads.delete("t1")).toBe(false);
        expect(await s.threads.delete("never")).toBe(false);
      });

      describe("search", () => {
        const seed = async () => {
          // created in order t1..t5 with distinct timestamps
          const specs: Array<[string, Record<string, unknown>, ThreadRecord["status"], string | null]> = [
            ["t1", { graph_id: "a", n: 1, flag: true, obj: { x: 1, y: [1, 2] } }, "idle", "alice"],
            ["t2", { graph_id: "b", n: 2, flag: false, nul: null }, "busy", "bob"],
            ["t3", { graph_id: "a", n: 1, flag: false, obj: { y: [1, 2], x: 1 } }, "error", null],
            ["t4", { graph_id: "a", n: "1" }, "idle", "alice"],
            ["t5", {}, "interrupted", "bob"],
          ];
          for (const [id, metadata, status, owner_id] of specs) {
            await s.threads.create({ thread_id: id, metadata, status, owner_id });
            await sleep(3);
          }
        };
        const ids = (r: { items: ThreadRecord[] }) => r.items.map((t) => t.thread_id);

        it("defaults to created_at desc and reports the unpaged total", async () => {
          await seed();
          const r = await s.threads.search({ limit: 10, offset: 0 });
          expect(ids(r)).toEqual(["t5", "t4", "t3", "t2", "t1"]);
          expect(r.total).toBe(5);
          expect(r.items[0]).toEqual(await s.threads.get("t5"));
        });

        it("applies limit and offset but not to total", async () => {
          await seed();
          const r = await s.threads.search({ limit: 2, offset: 1 });
          expect(ids(r)).toEqual(["t4", "t3"]);
          expect(r.total).toBe(5);
          const past = await s.threads.search({ limit: 2, offset: 10 });
          expect(past.items).toEqual([]);
          expect(past.total).toBe(5);
        });

        it("filters metadata by JSON equality of every key", async () => {
          await seed();
          expect(ids(await s.threads.search({ metadata: { graph_id: "a" }, limit: 10, offset: 0 }))).toEqual([
            "t4",
            "t3",
            "t1",
          ]);
          // number 1 does not match string "1"
          expect(ids(await s.threads.search({ metadata: { n: 1 }, limit: 10, offset: 0 }))).toEqual(["t3", "t1"]);
          expect(ids(await s.threads.search({ metadata: { n: "1" }, limit: 10, offset: 0 }))).toEqual(["t4"]);
          expect(ids(await s.threads.search({ metadata: { flag: false }, limit: 10, offset: 0 }))).toEqual([
            "t3",
            "t2",
          ]);
          expect(ids(await s.threads.search({ metadata: { flag: true }, limit: 10, offset: 0 }))).toEqual(["t1"]);
          // nested objects compare by value, independent of key order
          expect(ids(await s.threads.search({ metadata: { obj: { x: 1, y: [1, 2] } }, limit: 10, offset: 0 }))).toEqual(
            ["t3", "t1"],
          );
          expect(ids(await s.threads.search({ metadata: { obj: { x: 1 } }, limit: 10, offset: 0 }))).toEqual([]);
          // several keys must all match
          expect(
            ids(await s.threads.search({ metadata: { graph_id: "a", flag: true }, limit: 10, offset: 0 })),
          ).toEqual(["t1"]);
          // null matches a present null value, not a missing key
          expect(ids(await s.threads.search({ metadata: { nul: null }, limit: 10, offset: 0 }))).toEqual(["t2"]);
          const r = await s.threads.search({ metadata: { graph_id: "a" }, limit: 1, offset: 0 });
          expect(r.total).toBe(3);
          // an empty filter is no filter
          expect((await s.threads.search({ metadata: {}, limit: 10, offset: 0 })).total).toBe(5);
        });

        it("filters by ids and status", async () => {
          await seed();
          expect(ids(await s.threads.search({ ids: ["t1", "t3", "zz"], limit: 10, offset: 0 }))).toEqual(["t3", "t1"]);
          expect(ids(await s.threads.search({ status: "idle", limit: 10, offset: 0 }))).toEqual(["t4", "t1"]);
          const r = await s.threads.search({ status: "idle", ids: ["t4", "t5"], limit: 10, offset: 0 });
          expect(ids(r)).toEqual(["t4"]);
          expect(r.total).toBe(1);
        });

        it("owner_id: a string matches that owner or shared (NULL) threads; absent means no filter", async () => {
          await seed();
          expect(ids(await s.threads.search({ owner_id: "alice", limit: 10, offset: 0 }))).toEqual(["t4", "t3", "t1"]);
          expect(ids(await s.threads.search({ owner_id: "bob", limit: 10, offset: 0 }))).toEqual(["t5", "t3", "t2"]);
          expect(ids(await s.threads.search({ owner_id: "carol", limit: 10, offset: 0 }))).toEqual(["t3"]);
          expect((await s.threads.search({ limit: 10, offset: 0 })).total).toBe(5);
          const r = await s.threads.search({ owner_id: "alice", metadata: { graph_id: "a" }, limit: 1, offset: 1 });
          expect(ids(r)).toEqual(["t3"]);
          expect(r.total).toBe(3);
        });

        it("sorts by each column in both directions with thread_id as the tiebreak", async () => {
          await seed();
          expect(
            ids(await s.threads.search({ sort_by: "created_at", sort_order: "asc", limit: 10, offset: 0 })),
          ).toEqual(["t1", "t2", "t3", "t4", "t5"]);
          expect(
            ids(await s.threads.search({ sort_by: "thread_id", sort_order: "desc", limit: 10, offset: 0 })),
          ).toEqual(["t5", "t4", "t3", "t2", "t1"]);
          expect(
            ids(await s.threads.search({ sort_by: "thread_id", sort_order: "asc", limit: 10, offset: 0 })),
          ).toEqual(["t1", "t2", "t3", "t4", "t5"]);
          // busy < error < idle(t1,t4) < interrupted
          expect(ids(await s.threads.search({ sort_by: "status", sort_order: "asc", limit: 10, offset: 0 }))).toEqual([
            "t2",
            "t3",
            "t1",
            "t4",
            "t5",
          ]);
          expect(ids(await s.threads.search({ sort_by: "status", sort_order: "desc", limit: 10, offset: 0 }))).toEqual([
            "t5",
            "t4",
            "t1",
            "t3",
            "t2",
          ]);
          await sleep(3);
          await s.threads.update("t2", { metadata: { touched: 1 } });
          expect(
            ids(await s.threads.search({ sort_by: "updated_at", sort_order: "desc", limit: 2, offset: 0 })),
          ).toEqual(["t2", "t5"]);
          expect(
            ids(await s.threads.search({ sort_by: "updated_at", sort_order: "asc", limit: 10, offset: 0 })),
          ).toEqual(["t1", "t3", "t4", "t5", "t2"]);
        });

        it("returns nothing on an empty store", async () => {
          expect(await s.threads.search({ limit: 10, offset: 0 })).toEqual({ items: [], total: 0 });
        });
      });
    });

    // --------------------------------------------------------------------------------------------------- runs
    describe("RunStore", () => {
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

      it("getJson is the record without owner_id, as the JSON the API sends, with its thread", async () => {
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
        const { owner_id, ...wire } = record;
        expect(owner_id).toBe("alice");
        const found = await s.runs.getJson("r1");
        expect(found!.thread_id).toBe("t1");
        expect(JSON.parse(found!.json)).toEqual(wire);
        // Same fields in the same order as serialising the record would give.
        expect(found!.json).toBe(JSON.stringify(wire));
        expect(await s.runs.getJson("nope")).toBeNull();
      });

      it("getJson of a finished run read before follows later updates and deletes", async () => {
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

    // ------------------------------------------------------------------------------------------ stream events
    describe("RunLifecycleStore", () => {
      const busy = { status: "busy" as const, metadata: { graph_id: "g" } };

      beforeEach(async () => {
        await s.threads.create({ thread_id: "t1", metadata: { keep: 1 } });
        await s.threads.create({ thread_id: "t2", metadata: {} });
      });

      it("admit inserts the run and patches its thread together", async () => {
        const out = await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: true });
        expect(out.run).toMatchObject({ run_id: "r1", thread_id: "t1", status: "pending" });
        expect(await s.runs.get("r1")).toEqual(out.run);
        expect(await s.threads.get("t1")).toMatchObject({ status: "busy", metadata: { keep: 1, graph_id: "g" } });
      });

      it("admit with ifIdle refuses a busy thread, and nothing of a refused admission is written", async () => {
        await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: true });
        await s.threads.update("t1", { status: "idle" });
        const before = await s.threads.get("t1");
        expect(await s.lifecycle.admit(newRun("r2", "t1"), busy, { ifIdle: true })).toEqual({
          run: null,
          refused: "thread-busy",
        });
        expect(await s.runs.get("r2")).toBeNull();
        expect(await s.threads.get("t1")).toEqual(before);
        expect(await s.lifecycle.admit(newRun("r3", "gone"), busy, { ifIdle: false })).toEqual({
          run: null,
          refused: "thread-missing",
        });
        expect(await s.runs.get("r3")).toBeNull();
        // without ifIdle a second active run is admitted (enqueue, interrupt, rollback)
        expect((await s.lifecycle.admit(newRun("r4", "t1"), busy, { ifIdle: false })).run).toMatchObject({
          run_id: "r4",
        });
        expect(await s.runs.activeForThread("t1")).toHaveLength(2);
      });

      it("admit with ifIdle admits again once the thread's runs have ended, whatever their final status", async () => {
        await s.lifecycle.admit(newRun("r1", "t1", { status: "running" }), busy, { ifIdle: true });
        expect((await s.lifecycle.admit(newRun("r2", "t1"), busy, { ifIdle: true })).run).toBeNull();
        let last = "r1";
        for (const done of ["success", "error", "timeout", "interrupted"] as RunStatus[]) {
          await s.runs.update(last, { status: done });
          const next = await s.lifecycle.admit(newRun(`after-${done}`, "t1", { status: "running" }), busy, {
            ifIdle: true,
          });
          expect(next.run).toMatchObject({ run_id: `after-${done}`, status: "running" });
          last = `after-${done}`;
        }
        // another thread is independent
        expect((await s.lifecycle.admit(newRun("x1", "t2"), busy, { ifIdle: true })).run).not.toBeNull();
      });

      it("admit with ifIdle admits exactly one of many concurrent attempts", async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => s.lifecycle.admit(newRun(`c${i}`, "t1"), busy, { ifIdle: true })),
        );
        expect(results.filter((r) => r.run !== null)).toHaveLength(1);
        expect(await s.runs.activeForThread("t1")).toHaveLength(1);
      });

      it("admit with createThread creates a missing thread with the run, in one write", async () => {
        const out = await s.lifecycle.admit(newRun("r1", "fresh"), busy, {
          ifIdle: true,
          createThread: { metadata: { made: "here" } },
        });
        expect(out.run).toMatchObject({ run_id: "r1", thread_id: "fresh" });
        expect(await s.threads.get("fresh")).toMatchObject({
          status: "busy",
          metadata: { made: "here", graph_id: "g" },
        });
        // an existing thread is used as it is
        expect(
          (await s.lifecycle.admit(newRun("r2", "t2"), busy, { ifIdle: true, createThread: {} })).run,
        ).toMatchObject({ run_id: "r2" });
        expect(await s.threads.get("t2")).toMatchObject({ status: "busy", metadata: { graph_id: "g" } });
        // a failing admission leaves no thread behind
        const bad = newRun("r3", "doomed", { kwargs: { input: 1n } as never });
        await expect(s.lifecycle.admit(bad, busy, { ifIdle: false, createThread: {} })).rejects.toThrow();
        expect(await s.threads.get("doomed")).toBeNull();
        expect(await s.runs.get("r3")).toBeNull();
      });

      it("admitAll writes every run with its thread, or none of them", async () => {
        const all = await s.lifecycle.admitAll([
          { run: newRun("b1", "new1"), thread: busy, opts: { ifIdle: true, createThread: {} } },
          { run: newRun("b2", "new2"), thread: busy, opts: { ifIdle: true, createThread: {} } },
          { run: newRun("b3", "t1"), thread: busy, opts: { ifIdle: true } },
        ]);
        expect(all.runs?.map((r) => [r.run_id, r.thread_id])).toEqual([
          ["b1", "new1"],
          ["b2", "new2"],
          ["b3", "t1"],
        ]);
        expect((await s.threads.get("new2"))?.status).toBe("busy");

        const before = await s.threads.search({ limit: 100, offset: 0 });
        // t1 now has an active run: the third request is refused, and the first two are not written either
        expect(
          await s.lifecycle.admitAll([
            { run: newRun("c1", "new3"), thread: busy, opts: { ifIdle: true, createThread: {} } },
            { run: newRun("c2", "t2"), thread: busy, opts: { ifIdle: false } },
            { run: newRun("c3", "t1"), thread: busy, opts: { ifIdle: true } },
          ]),
        ).toEqual({ runs: null, index: 2, refused: "thread-busy" });
        expect(
          await s.lifecycle.admitAll([
            { run: newRun("d1", "new4"), thread: busy, opts: { ifIdle: true, createThread: {} } },
            { run: newRun("d2", "gone"), thread: busy, opts: { ifIdle: false } },
          ]),
        ).toEqual({ runs: null, index: 1, refused: "thread-missing" });
        // a failure (a value the store cannot write) also writes nothing
        await expect(
          s.lifecycle.admitAll([
            { run: newRun("e1", "new5"), thread: busy, opts: { ifIdle: true, createThread: {} } },
            {
              run: newRun("e2", "new6", { kwargs: { input: 1n } as never }),
              thread: busy,
              opts: { ifIdle: true, createThread: {} },
            },
          ]),
        ).rejects.toThrow();
        expect(await s.threads.search({ limit: 100, offset: 0 })).toEqual(before);
        for (const id of ["c1", "c2", "c3", "d1", "d2", "e1", "e2"]) expect(await s.runs.get(id)).toBeNull();
        expect(await s.lifecycle.admitAll([])).toEqual({ runs: [] });
      });

      it("finish appends the journal, ends the run and settles the thread from the runs still active", async () => {
        await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: false });
        await s.lifecycle.admit(newRun("r2", "t1"), busy, { ifIdle: false });
        await s.runs.transition("r1", ["pending"], "running");
        const seen: number[] = [];
        const moves: boolean[] = [];
        const run = await s.lifecycle.finish({
          run_id: "r1",
          thread_id: "t1",
          from: ["running"],
          to: "success",
          patch: { error: null, counters: { total_tokens: 5, message_count: 1 } },
          journal: [entry("t1", "r1", "run.end", "outputs", { status: "success" })],
          thread: (active, moved) => {
            seen.push(active);
            moves.push(moved);
            return { status: active > 0 ? "busy" : "idle", values: { n: active } };
          },
        });
        expect(run).toMatchObject({ run_id: "r1", status: "success", total_tokens: 5, message_count: 1 });
        expect(await s.runs.get("r1")).toEqual(run);
        expect(seen).toEqual([1]); // r2 is still pending; r1 itself no longer counts
        expect(await s.threads.get("t1")).toMatchObject({ status: "busy", values: { n: 1 }, metadata: { keep: 1 } });
        expect((await s.journal.listRunEvents("r1", { limit: 10 })).data.map((e) => e.event_type)).toEqual(["run.end"]);

        // a run whose status had moved on stays as it was; the journal and thread are written all the same
        await s.runs.update("r2", { status: "interrupted" });
        const unchanged = await s.runs.get("r2");
        const r2 = await s.lifecycle.finish({
          run_id: "r2",
          thread_id: "t1",
          from: ["running"],
          to: "error",
          patch: { error: "late" },
          journal: [entry("t1", "r2", "run.end", "outputs")],
          thread: (active, moved) => {
            moves.push(moved);
            return { status: active > 0 ? "busy" : "idle" };
          },
        });
        expect(r2).toEqual(unchanged);
        expect(moves).toEqual([true, false]); // the patch is told whether this end moved the run
        expect((await s.threads.get("t1"))!.status).toBe("idle");
        expect((await s.journal.listRunEvents("r2", { limit: 10 })).data).toHaveLength(1);
      });

      it("finish writes nothing when any part of it fails", async () => {
        await s.lifecycle.admit(newRun("r1", "t1"), busy, { ifIdle: true });
        await s.runs.transition("r1", ["pending"], "running");
        const run = await s.runs.get("r1");
        const thread = await s.threads.get("t1");
        await expect(
          s.lifecycle.finish({
            run_id: "r1",
            thread_id: "t1",
            from: ["running"],
            to: "success",
            patch: {},
            journal: [entry("t1", "r1", "run.end", "outputs")],
            thread: () => {
              throw new Error("cannot settle");
            },
          }),
        ).rejects.toThrow("cannot settle");
        expect(await s.runs.get("r1")).toEqual(run);
        expect(await s.threads.get("t1")).toEqual(thread);
        expect((await s.journal.listRunEvents("r1", { limit: 10 })).data).toEqual([]);
      });
    });

    describe("StreamEventStore", () => {
      beforeEach(async () => {
        await s.threads.create({ thread_id: "t1", metadata: {} });
        await s.runs.insert(newRun("r1", "t1"));
        await s.runs.insert(newRun("r2", "t1"));
      });

      it("append + list returns events after a seq, ascending", async () => {
        const events = [ev("r1", 0, "metadata"), ev("r1", 1), ev("r1", 2, "updates"), ev("r1", 3, "end", "null")];
        await s.streamEvents.append([events[2], events[0], events[3], events[1]]);
        expect(await s.streamEvents.list("r1", -1)).toEqual(events);
        expect(await s.streamEvents.list("r1", 1)).toEqual(events.slice(2));
        expect(await s.streamEvents.list("r1", 3)).toEqual([]);
        expect(await s.streamEvents.list("r1", -1, 2)).toEqual(events.slice(0, 2));
        expect(await s.streamEvents.list("r1", 0, 2)).toEqual(events.slice(1, 3));
        expect(await s.streamEvents.list("r1", -1, 0)).toEqual([]);
      });

      it("keeps data byte-for-byte", async () => {
        const data = JSON.stringify({ text: 'quote " newline \n unicode é 🚀', n: 1.5 });
        await s.streamEvents.append([ev("r1", 0, "messages/partial", data)]);
        expect((await s.streamEvents.list("r1", -1))[0].data).toBe(data);
      });

      it("ignores duplicates (first write wins) and appends across calls", async () => {
        await s.streamEvents.append([ev("r1", 0, "values", '"first"'), ev("r1", 1)]);
        await s.streamEvents.append([ev("r1", 0, "values", '"second"'), ev("r1", 2)]);
        const got = await s.streamEvents.list("r1", -1);
        expect(got.map((e) => e.seq)).toEqual([0, 1, 2]);
        expect(got[0].data).toBe('"first"');
        await s.streamEvents.append([]);
        expect(await s.streamEvents.list("r1", -1)).toHaveLength(3);
      });

      it("keeps runs separate and deleteByRun removes one run's events", async () => {
        await s.streamEvents.append([ev("r1", 0), ev("r2", 0), ev("r1", 1), ev("r2", 1)]);
        expect((await s.streamEvents.list("r2", -1)).map((e) => [e.run_id, e.seq])).toEqual([
          ["r2", 0],
          ["r2", 1],
        ]);
        await s.streamEvents.deleteByRun("r1");
        expect(await s.streamEvents.list("r1", -1)).toEqual([]);
        expect(await s.streamEvents.list("r2", -1)).toHaveLength(2);
        await s.streamEvents.deleteByRun("nope");
        expect(await s.streamEvents.list("unknown", -1)).toEqual([]);
      });

      it("purgeEndedBefore removes the events of runs that ended before the cutoff, only", async () => {
        await s.runs.insert(newRun("r3", "t1"));
        await s.streamEvents.append([ev("r1", 0), ev("r2", 0), ev("r2", 1), ev("r3", 0)]);
        await s.runs.transition("r1", ["pending"], "success");
        await s.runs.transition("r2", ["pending"], "error");
        await s.runs.transition("r3", ["pending"], "running");
        expect(await s.streamEvents.purgeEndedBefore(new Date(Date.now() - 60_000).toISOString())).toBe(0);
        expect(await s.streamEvents.purgeEndedBefore(new Date(Date.now() + 60_000).toISOString())).toBe(3);
        expect(await s.streamEvents.list("r1", -1)).toEqual([]);
        expect(await s.streamEvents.list("r2", -1)).toEqual([]);
        expect(await s.streamEvents.list("r3", -1)).toHaveLength(1); // still running: kept
      });
    });

    // ------------------------------------------------------------------------------------------------ journal
    describe("JournalStore", () => {
      beforeEach(async () => {
        for (const t of ["t1", "t2"]) await s.threads.create({ thread_id: t, metadata: {} });
        await s.runs.insert(newRun("r1", "t1", { status: "success" }));
        await s.runs.insert(newRun("r2", "t1", { status: "success" }));
        await s.runs.insert(newRun("x1", "t2", { status: "success" }));
      });

      it("append assigns thread-global increasing seqs and round-trips every field", async () => {
        const contents: unknown[] = [{ type: "human", content: "hi" }, "plain text", 42, null, [1, { a: 2 }], true];
        const out = await s.journal.append(
          contents.map((c, i) => entry("t1", i < 3 ? "r1" : "r2", `e${i}`, i % 2 ? "trace" : "message", c, { i })),
        );
        expect(out.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
        out.forEach((e, i) => {
          expect(e).toEqual({
            thread_id: "t1",
            run_id: i < 3 ? "r1" : "r2",
            seq: i + 1,
            event_type: `e${i}`,
            category: i % 2 ? "trace" : "message",
            content: contents[i],
            metadata: { i },
            created_at: expect.stringMatching(ISO_MS),
          });
        });
        const events = [
          ...(await s.journal.listRunEvents("r1", { limit: 10 })).data,
          ...(await s.journal.listRunEvents("r2", { limit: 10 })).data,
        ];
        expect(events).toEqual(out);

        // seqs continue across calls; other threads have their own sequence
        const more = await s.journal.append([
          entry("t2", "x1", "run.start", "trace"),
          entry("t1", "r2", "run.end", "outputs"),
          entry("t2", "x1", "run.end", "outputs"),
        ]);
        expect(more.map((e) => [e.thread_id, e.seq])).toEqual([
          ["t2", 1],
          ["t1", 7],
          ["t2", 2],
        ]);
        expect(await s.journal.append([])).toEqual([]);
      });

      it("concurrent appends never reuse a seq", async () => {
        const batches = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            s.journal.append([entry("t1", "r1", `a${i}`, "message"), entry("t1", "r1", `b${i}`, "message")]),
          ),
        );
        const seqs = batches.flat().map((e) => e.seq);
        expect(new Set(seqs).size).toBe(20);
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      });

      describe("message pagination", () => {
        // t1: seq 1..12; messages at odd seqs from r1 (1,3,5) and r2 (7,9,11); traces at even seqs
        beforeEach(async () => {
          const batch: NewJournalEntry[] = [];
          for (let i = 1; i <= 12; i++) {
            batch.push(
              entry("t1", i <= 6 ? "r1" : "r2", i % 2 ? "llm.ai.response" : "llm.start", i % 2 ? "message" : "trace", {
                i,
              }),
            );
          }
          await s.journal.append(batch);
          await s.journal.append([entry("t2", "x1", "llm.human.input", "message")]);
        });
        const seqs = (p: { data: { seq: number }[] }) => p.data.map((e) => e.seq);

        it("listThreadMessages without a cursor returns the newest page ascending", async () => {
          const p = await s.journal.listThreadMessages("t1", { limit: 4 });
          expect(seqs(p)).toEqual([5, 7, 9, 11]);
          expect(p.has_more).toBe(true);
          expect(p.data.every((e) => e.category === "message" && e.thread_id === "t1")).toBe(true);
          const all = await s.journal.listThreadMessages("t1", { limit: 6 });
          expect(seqs(all)).toEqual([1, 3, 5, 7, 9, 11]);
          expect(all.has_more).toBe(false);
          expect((await s.journal.listThreadMessages("t1", { limit: 100 })).has_more).toBe(false);
        });

        it("listThreadMessages with before_seq pages backwards", async () => {
          const p = await s.journal.listThreadMessages("t1", { limit: 2, before_seq: 7 });
          expect(seqs(p)).toEqual([3, 5]);
          expect(p.has_more).toBe(true);
          const q = await s.journal.listThreadMessages("t1", { limit: 2, before_seq: 3 });
          expect(seqs(q)).toEqual([1]);
          expect(q.has_more).toBe(false);
          const r = await s.journal.listThreadMessages("t1", { limit: 2, before_seq: 5 });
          expect(seqs(r)).toEqual([1, 3]);
          expect(r.has_more).toBe(false);
        });

        it("listThreadMessages with after_seq pages forwards, oldest first", async () => {
          const p = await s.journal.listThreadMessages("t1", { limit: 2, after_seq: 0 });
          expect(seqs(p)).toEqual([1, 3]);
          expect(p.has_more).toBe(true);
          const q = await s.journal.listThreadMessages("t1", { limit: 2, after_seq: 5 });
          expect(seqs(q)).toEqual([7, 9]);
          expect(q.has_more).toBe(true);
          const r = await s.journal.listThreadMessages("t1", { limit: 2, after_seq: 8 });
          expect(seqs(r)).toEqual([9, 11]);
          expect(r.has_more).toBe(false);
          const e = await s.journal.listThreadMessages("t1", { limit: 2, after_seq: 11 });
          expect(e).toEqual({ data: [], has_more: false });
        });

        it("listThreadMessages is scoped to the thread", async () => {
          const p = await s.journal.listThreadMessages("t2", { limit: 10 });
          expect(p.data.map((e) => [e.run_id, e.seq])).toEqual([["x1", 1]]);
          expect(await s.journal.listThreadMessages("nope", { limit: 10 })).toEqual({ data: [], has_more: false });
        });

        it("listRunMessages pages one run's messages the same way", async () => {
          const newest = await s.journal.listRunMessages("r2", { limit: 2 });
          expect(seqs(newest)).toEqual([9, 11]);
          expect(newest.has_more).toBe(true);
          const older = await s.journal.listRunMessages("r2", { limit: 2, before_seq: 9 });
          expect(seqs(older)).toEqual([7]);
          expect(older.has_more).toBe(false);
          const fwd = await s.journal.listRunMessages("r1", { limit: 2, after_seq: 1 });
          expect(seqs(fwd)).toEqual([3, 5]);
          expect(fwd.has_more).toBe(false);
          const all = await s.journal.listRunMessages("r1", { limit: 10 });
          expect(seqs(all)).toEqual([1, 3, 5]);
          expect(all.data.every((e) => e.run_id === "r1" && e.category === "message")).toBe(true);
          expect(all.has_more).toBe(false);
        });

        it("listRunEvents returns every category ascending, with after_seq, limit and event_types", async () => {
          const all = await s.journal.listRunEvents("r1", { limit: 100 });
          expect(seqs(all)).toEqual([1, 2, 3, 4, 5, 6]);
          expect(all.has_more).toBe(false);
          const first = await s.journal.listRunEvents("r1", { limit: 4 });
          expect(seqs(first)).toEqual([1, 2, 3, 4]);
          expect(first.has_more).toBe(true);
          const next = await s.journal.listRunEvents("r1", { limit: 2, after_seq: 4 });
          expect(seqs(next)).toEqual([5, 6]);
          expect(next.has_more).toBe(false);
          const traces = await s.journal.listRunEvents("r2", { limit: 2, event_types: ["llm.start"] });
          expect(seqs(traces)).toEqual([8, 10]);
          expect(traces.has_more).toBe(true);
          expect(traces.data.every((e) => e.event_type === "llm.start")).toBe(true);
          const both = await s.journal.listRunEvents("r2", {
            limit: 10,
            after_seq: 9,
            event_types: ["llm.start", "llm.ai.response"],
          });
          expect(seqs(both)).toEqual([10, 11, 12]);
          expect((await s.journal.listRunEvents("r2", { limit: 10, event_types: ["nothing"] })).data).toEqual([]);
          expect(await s.journal.listRunEvents("nope", { limit: 10 })).toEqual({ data: [], has_more: false });
        });
      });
    });

    // ---------------------------------------------------------------------------------------- checkpoints
    describe("checkpointer and CheckpointAdmin", () => {
      it("the checkpointer round-trips a checkpoint", async () => {
        const id = await putCheckpoint(s, "t1", "r1");
        const t = await s.checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: "" } });
        expect(t?.config.configurable?.checkpoint_id).toBe(id);
        expect(t?.metadata).toMatchObject({ run_id: "r1", source: "loop", step: 0 });
        expect(t?.pendingWrites).toEqual([["task-r1", "messages", { written_by: "r1" }]]);
      });

      it("deleteRunCheckpoints removes exactly that run's checkpoints and writes on that thread", async () => {
        const r1a = await putCheckpoint(s, "t1", "r1");
        const r1b = await putCheckpoint(s, "t1", "r1");
        await putCheckpoint(s, "t1", "r2");
        await putCheckpoint(s, "t1", "r2");
        await putCheckpoint(s, "t1", "r2", "sub:1"); // a subgraph namespace
        const other = await putCheckpoint(s, "t2", "r2"); // same run id on another thread

        expect(await s.checkpointAdmin.deleteRunCheckpoints("t1", "r2")).toBe(3);

        const left = await listCheckpoints(s, "t1");
        expect(left.map((t) => t.config.configurable?.checkpoint_id)).toEqual([r1b, r1a]);
        expect(left.every((t) => (t.metadata as Record<string, unknown>).run_id === "r1")).toBe(true);
        expect(await listCheckpoints(s, "t1", "sub:1")).toEqual([]);
        const latest = await s.checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: "" } });
        expect(latest?.config.configurable?.checkpoint_id).toBe(r1b);
        expect(latest?.pendingWrites).toEqual([["task-r1", "messages", { written_by: "r1" }]]);
        const t2 = await s.checkpointer.getTuple({ configurable: { thread_id: "t2", checkpoint_ns: "" } });
        expect(t2?.config.configurable?.checkpoint_id).toBe(other);
        expect(t2?.pendingWrites).toHaveLength(1);

        expect(await s.checkpointAdmin.deleteRunCheckpoints("t1", "r2")).toBe(0);
        expect(await s.checkpointAdmin.deleteRunCheckpoints("t1", "r1")).toBe(2);
        expect(await s.checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: "" } })).toBeUndefined();
        expect(await s.checkpointAdmin.deleteRunCheckpoints("nope", "r1")).toBe(0);
      });

      /** A checkpoint of `run_id` written as a running graph writes it: its config carries the run id. */
      async function putRunCheckpoint(stores: Stores, thread_id: string, run_id: string): Promise<string> {
        const cp = emptyCheckpoint();
        cp.id = uuid6(-1);
        const metadata = { source: "loop", step: 0, parents: {}, run_id } as CheckpointMetadata;
        await stores.checkpointer.put({ configurable: { thread_id, checkpoint_ns: "", run_id } }, cp, metadata, {});
        return cp.id;
      }
      const writesOf = async (stores: Stores, thread_id: string, checkpoint_id: string) =>
        (await stores.checkpointer.getTuple({ configurable: { thread_id, checkpoint_ns: "", checkpoint_id } }))
          ?.pendingWrites;

      it("deleteRunCheckpoints undoes the run's writes on a checkpoint it did not write, rows it replaced too", async () => {
        const c1 = await putRunCheckpoint(s, "t1", "r1");
        const on = (run_id: string) => ({
          configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: c1, run_id },
        });
        await s.checkpointer.putWrites(on("r1"), [["__interrupt__", { asked: "r1" }]], "task-a");
        await s.checkpointer.putWrites(on("r1"), [["messages", "kept"]], "task-b");
        const before = await writesOf(s, "t1", c1);
        // r2 resumes from r1's checkpoint: its writes land on it (one replaces r1's row), then it writes its own.
        await s.checkpointer.putWrites(on("r2"), [["__resume__", "yes"]], "task-null");
        await s.checkpointer.putWrites(on("r2"), [["__interrupt__", { asked: "r2" }]], "task-a");
        await s.checkpointer.putWrites(on("r2"), [["messages", "ignored: the row exists"]], "task-b");
        await s.checkpointer.putWrites(on("r2"), [["answer", "yes"]], "task-c");
        const c2 = await putRunCheckpoint(s, "t1", "r2");
        expect(await writesOf(s, "t1", c1)).toHaveLength(4);

        expect(await s.checkpointAdmin.deleteRunCheckpoints("t1", "r2")).toBe(1);
        expect(await writesOf(s, "t1", c1)).toEqual(before);
        expect(await writesOf(s, "t1", c2)).toBeUndefined();
      });

      it("releaseRun ends the run: its later writes are dropped; what it hands back undoes its writes later", async () => {
        const c1 = await putRunCheckpoint(s, "t1", "r1");
        const on = { configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: c1, run_id: "r2" } };
        await s.checkpointer.putWrites(on, [["__resume__", "yes"]], "task-null");
        const undo = await s.checkpointAdmin.releaseRun("r2");
        expect(undo).toHaveLength(1);
        // Dropped: a write and a checkpoint of the ended run.
        await s.checkpointer.putWrites(on, [["late", 1]], "task-late");
        const late = emptyCheckpoint();
        late.id = uuid6(-1);
        await s.checkpointer.put(
          { configurable: { thread_id: "t1", checkpoint_ns: "", run_id: "r2" } },
          late,
          { source: "loop", step: 1, parents: {}, run_id: "r2" } as CheckpointMetadata,
          {},
        );
        expect(await writesOf(s, "t1", late.id)).toBeUndefined();
        expect(await writesOf(s, "t1", c1)).toHaveLength(1);
        // Released, it is forgotten: the undo comes back with the delete (as another connection would send it).
        expect(await s.checkpointAdmin.releaseRun("r2")).toEqual([]);
        await s.checkpointAdmin.deleteRunCheckpoints("t1", "r2", undo);
        expect(await writesOf(s, "t1", c1)).toEqual([]);
        // Other runs write on.
        await s.checkpointer.putWrites({ ...on, configurable: { ...on.configurable, run_id: "r3" } }, [["x", 1]], "t");
        expect(await writesOf(s, "t1", c1)).toHaveLength(1);
      });
    });
  });
}
