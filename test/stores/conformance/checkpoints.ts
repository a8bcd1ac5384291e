/**
 * The checkpointer and CheckpointAdmin: round trip, deleteRunCheckpoints and releaseRun.
 * Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { emptyCheckpoint, uuid6, type CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { Stores } from "../../../src/stores/types.ts";
import { putCheckpoint, listCheckpoints } from "./helpers.ts";

export function describeCheckpointStores(stores: () => Stores): void {
  describe("checkpointer and CheckpointAdmin", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    it("the checkpointer round-trips a checkpoint", async () => {
      const id = await putCheckpoint(s, "t1", "r1");
      const t = await s.checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: "" } });
      expect(t?.config.configurable?.checkpoint_id).toBe(id);
      expect(t?.metadata).toMatchObject({ run_id: "r1", source: "loop", step: 0 });
      expect(t?.pendingWrites).toEqual([["task-r1", "messages", { written_by: "r1" }]]);
    });

    it("a graph forked from an older checkpoint runs on that checkpoint's values, not its sibling branch's", async () => {
      const State = Annotation.Root({
        seen: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
      });
      const graph = new StateGraph(State)
        .addNode("note", () => ({}))
        .addEdge(START, "note")
        .addEdge("note", END)
        .compile({ checkpointer: s.checkpointer });
      const thread = { configurable: { thread_id: "fork" } };
      await graph.invoke({ seen: ["one"] }, thread);
      const afterFirst = (await graph.getState(thread)).config;
      await graph.invoke({ seen: ["two"] }, thread);
      // From the first run's end, again: the second run's branch (same channel versions) stays apart.
      const forked = await graph.invoke({ seen: ["fork"] }, afterFirst);
      expect(forked.seen).toEqual(["one", "fork"]);
      expect((await graph.getState(thread)).values.seen).toEqual(["one", "fork"]);
      const history: string[][] = [];
      for await (const state of graph.getStateHistory(thread)) history.push(state.values.seen as string[]);
      expect(history).toContainEqual(["one", "two"]);
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

    /** A checkpoint after `parent` (or a first one), with `thread_id` in its metadata as a stray key. */
    async function putAfter(stores: Stores, thread_id: string, parent: string | undefined, checkpoint_ns = "") {
      const cp = emptyCheckpoint();
      cp.id = uuid6(-1);
      const metadata = { source: "loop", step: 0, parents: {}, run_id: "r1", thread_id } as CheckpointMetadata;
      const configurable = { thread_id, checkpoint_ns, ...(parent ? { checkpoint_id: parent } : {}) };
      await stores.checkpointer.put({ configurable }, cp, metadata, {});
      await stores.checkpointer.putWrites(
        { configurable: { thread_id, checkpoint_ns, checkpoint_id: cp.id } },
        [["messages", { on: cp.id }]],
        "task",
      );
      return cp.id;
    }
    const tuples = async (stores: Stores, thread_id: string, checkpoint_ns = "") =>
      (await listCheckpoints(stores, thread_id, checkpoint_ns)).map((t) => ({
        id: t.config.configurable?.checkpoint_id,
        thread: t.config.configurable?.thread_id,
        parent: t.parentConfig?.configurable?.checkpoint_id,
        parentThread: t.parentConfig?.configurable?.thread_id,
        metadata: t.metadata,
        writes: t.pendingWrites,
        values: t.checkpoint.channel_values,
      }));

    it("copyThread copies every checkpoint, namespace and pending write under the new id, parents kept", async () => {
      const c1 = await putAfter(s, "t1", undefined);
      const c2 = await putAfter(s, "t1", c1);
      const sub = await putAfter(s, "t1", undefined, "sub:1");
      await putAfter(s, "t9", undefined); // another thread: not copied

      expect(await s.checkpointAdmin.copyThread("t1", "t2")).toBe(3);

      const copied = await tuples(s, "t2");
      expect(copied.map((c) => [c.id, c.parent, c.thread, c.parentThread])).toEqual([
        [c2, c1, "t2", "t2"],
        [c1, undefined, "t2", undefined],
      ]);
      const original = await tuples(s, "t1");
      expect(copied.map(({ thread: _t, parentThread: _p, metadata, ...rest }) => ({ ...rest, metadata }))).toEqual(
        original.map(({ thread: _t, parentThread: _p, metadata, ...rest }) => ({
          ...rest,
          metadata: { ...metadata, thread_id: "t2" },
        })),
      );
      expect((await tuples(s, "t2", "sub:1")).map((c) => [c.id, c.writes])).toEqual([
        [sub, [["task", "messages", { on: sub }]]],
      ]);
      // The original is untouched; a copy onto a thread with checkpoints writes nothing and throws.
      expect(await tuples(s, "t1")).toEqual(original);
      await expect(s.checkpointAdmin.copyThread("t9", "t2")).rejects.toThrow();
      expect(await tuples(s, "t2")).toEqual(copied);
      expect(await s.checkpointAdmin.copyThread("nothing", "t3")).toBe(0);
    });

    it("keepLatestCheckpoints keeps the latest checkpoint of each namespace, with its writes, as a root", async () => {
      const c1 = await putAfter(s, "t1", undefined);
      const c2 = await putAfter(s, "t1", c1);
      const c3 = await putAfter(s, "t1", c2);
      const s1 = await putAfter(s, "t1", undefined, "sub:1");
      const s2 = await putAfter(s, "t1", s1, "sub:1");
      const other = await putAfter(s, "t2", undefined);
      await putAfter(s, "t2", other);

      expect(await s.checkpointAdmin.keepLatestCheckpoints("t1")).toBe(3);

      expect((await tuples(s, "t1")).map((c) => [c.id, c.parent, c.writes])).toEqual([
        [c3, undefined, [["task", "messages", { on: c3 }]]],
      ]);
      expect((await tuples(s, "t1", "sub:1")).map((c) => [c.id, c.parent])).toEqual([[s2, undefined]]);
      const latest = await s.checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: "" } });
      expect(latest?.config.configurable?.checkpoint_id).toBe(c3);
      expect(await tuples(s, "t2")).toHaveLength(2);
      expect(await s.checkpointAdmin.keepLatestCheckpoints("t1")).toBe(0);
    });

    it("patchCheckpointMetadata merges into the latest checkpoint of a namespace, or the one named", async () => {
      const c1 = await putAfter(s, "t1", undefined);
      const c2 = await putAfter(s, "t1", c1);
      const sub = await putAfter(s, "t1", undefined, "sub:1");
      const meta = async (id: string, ns = "") =>
        (await s.checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: ns, checkpoint_id: id } }))
          ?.metadata as Record<string, unknown>;

      expect(await s.checkpointAdmin.patchCheckpointMetadata("t1", "", undefined, { note: "hi", step: 7 })).toBe(c2);
      expect(await meta(c2)).toEqual({
        source: "loop",
        step: 7,
        parents: {},
        run_id: "r1",
        thread_id: "t1",
        note: "hi",
      });
      expect(await meta(c1)).not.toHaveProperty("note");
      expect(await s.checkpointAdmin.patchCheckpointMetadata("t1", "", c1, { old: { deep: [1] } })).toBe(c1);
      expect(await meta(c1)).toMatchObject({ old: { deep: [1] }, run_id: "r1" });
      expect(await s.checkpointAdmin.patchCheckpointMetadata("t1", "", c2, { note: "again" })).toBe(c2);
      expect((await meta(c2)).note).toBe("again");
      expect(await s.checkpointAdmin.patchCheckpointMetadata("t1", "sub:1", undefined, { x: 1 })).toBe(sub);
      expect(await meta(sub, "sub:1")).toMatchObject({ x: 1 });
      // The history reads the patched metadata; its checkpoints and writes are as they were.
      expect((await tuples(s, "t1")).map((c) => [c.id, c.parent, c.writes?.length])).toEqual([
        [c2, c1, 1],
        [c1, undefined, 1],
      ]);
      expect(await s.checkpointAdmin.patchCheckpointMetadata("t1", "", sub, { x: 1 })).toBeNull();
      expect(await s.checkpointAdmin.patchCheckpointMetadata("nope", "", undefined, { x: 1 })).toBeNull();
    });
  });
}
