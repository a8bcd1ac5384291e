/**
 * LangGraph state snapshots in the wire shape of LangGraph Platform's
 * ThreadState, as the LangGraph.js API server answers it: each task with its
 * `path` and `result`, a subgraph task's `checkpoint` naming its namespace, or
 * (with `subgraphs`) its nested `state` and no checkpoint.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StateSnapshot } from "@langchain/langgraph";
import type { Json } from "../../stores/types.ts";
import type { Schema } from "../../contract.ts";
import { toPlain } from "../shared/serialize.ts";

export interface CheckpointRef {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  checkpoint_map: Json | null;
}

/** What LangGraph names of a subgraph task's checkpoint: its namespace, and more only once it has them. */
export type TaskCheckpointRef = Pick<CheckpointRef, "thread_id" | "checkpoint_ns"> &
  Partial<Pick<CheckpointRef, "checkpoint_id" | "checkpoint_map">>;

/**
 * A checkpoint as clients name it, the spec's CheckpointRef: any part may be missing (the latest, the
 * root namespace).
 */
export type CheckpointQuery = Schema<"CheckpointRef">;

export interface ThreadTaskView {
  id: string;
  name: string;
  error: string | null;
  interrupts: unknown[];
  /** Where the task comes from, e.g. `["__pregel_pull", "agent"]`. */
  path: unknown[];
  /** A subgraph task's checkpoint (its namespace); null for other tasks and with `subgraphs`. */
  checkpoint: TaskCheckpointRef | null;
  /** With `subgraphs`: the subgraph's ThreadState. */
  state: Json | null;
  /** What the task wrote, once it has run; null before. */
  result: unknown;
}

export interface ThreadStateView {
  values: Json | unknown[];
  next: string[];
  tasks: ThreadTaskView[];
  metadata: Json | null;
  created_at: string | null;
  checkpoint: CheckpointRef | null;
  parent_checkpoint: CheckpointRef | null;
  interrupts: unknown[];
}

export const EMPTY_STATE: ThreadStateView = {
  values: {},
  next: [],
  tasks: [],
  metadata: null,
  created_at: null,
  checkpoint: null,
  parent_checkpoint: null,
  interrupts: [],
};

export function refOf(config: RunnableConfig | undefined): CheckpointRef | null {
  const c = config?.configurable;
  if (!c?.checkpoint_id) return null;
  return {
    thread_id: String(c.thread_id),
    checkpoint_ns: String(c.checkpoint_ns ?? ""),
    checkpoint_id: String(c.checkpoint_id),
    checkpoint_map: (c.checkpoint_map as Json | undefined) ?? null,
  };
}

/** A subgraph task's `state` config without `subgraphs`: LangGraph names the thread and the namespace. */
function taskRefOf(config: RunnableConfig | undefined): TaskCheckpointRef | null {
  const c = config?.configurable;
  if (!c) return null;
  return {
    thread_id: String(c.thread_id),
    checkpoint_ns: String(c.checkpoint_ns ?? ""),
    ...(c.checkpoint_id ? { checkpoint_id: String(c.checkpoint_id) } : {}),
    ...(c.checkpoint_map ? { checkpoint_map: c.checkpoint_map as Json } : {}),
  };
}

function isSnapshot(value: unknown): value is StateSnapshot {
  return typeof value === "object" && value !== null && "values" in value && "next" in value;
}

/** A snapshot that names a checkpoint nobody wrote (LangGraph answers those with an empty state). */
export function exists(snapshot: StateSnapshot): boolean {
  return snapshot.createdAt !== undefined || snapshot.metadata !== undefined;
}

export function toStateView(snapshot: StateSnapshot): ThreadStateView {
  const tasks = snapshot.tasks.map((t): ThreadTaskView => {
    // Without `subgraphs` a subgraph task's `state` is the config of its checkpoint; with it, its snapshot.
    const sub = isSnapshot(t.state) ? t.state : null;
    return {
      id: t.id,
      name: t.name,
      error: t.error ? String((t.error as Error).message ?? t.error) : null,
      interrupts: toPlain<unknown[]>(t.interrupts ?? []),
      path: toPlain<unknown[]>(t.path ?? []),
      checkpoint: sub ? null : taskRefOf(t.state as RunnableConfig | undefined),
      state: sub ? (toStateView(sub) as unknown as Json) : null,
      result: t.result === undefined ? null : toPlain(t.result),
    };
  });
  return {
    values: toPlain(snapshot.values ?? {}),
    next: [...snapshot.next],
    tasks,
    metadata: snapshot.metadata ? toPlain<Json>(snapshot.metadata) : null,
    created_at: snapshot.createdAt ?? null,
    checkpoint: refOf(snapshot.config),
    parent_checkpoint: refOf(snapshot.parentConfig),
    interrupts: tasks.flatMap((t) => t.interrupts),
  };
}

/** Pending interrupts keyed by task id, as the thread record caches them. */
export function interruptsByTask(view: ThreadStateView): Json {
  const out: Json = {};
  for (const task of view.tasks) if (task.interrupts.length) out[task.id] = task.interrupts;
  return out;
}

/** The thread record's cached `values`: null until there is something in the state. */
export function cachedValues(view: ThreadStateView): Json | null {
  const values = view.values as Json;
  return values && typeof values === "object" && Object.keys(values).length ? values : null;
}
