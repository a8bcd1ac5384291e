/**
 * Thread state from LangGraph checkpoints, in the wire shape of LangGraph
 * Platform's ThreadState: the current state, the state at one checkpoint,
 * history, and `updateState` (writing values as if a node had returned them).
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import { InvalidUpdateError, type StateSnapshot } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { UnprocessableError, invalid } from "../http/errors.ts";
import type { Json, ThreadRecord } from "../stores/types.ts";
import type { GraphRegistry, RunnableGraph } from "./graph-registry.ts";
import { metadataMatches } from "./metadata-filter.ts";
import { toPlain } from "./serialize.ts";

export interface CheckpointRef {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  checkpoint_map: Json | null;
}

export type TaskCheckpointRef = Omit<CheckpointRef, "checkpoint_id"> & { checkpoint_id?: string };

/** A checkpoint as clients name it: any part may be missing (the latest, the root namespace). */
export interface CheckpointQuery {
  thread_id?: string | null;
  checkpoint_id?: string | null;
  checkpoint_ns?: string | null;
  checkpoint_map?: Json | null;
}

export interface ThreadStateView {
  values: Json | unknown[];
  next: string[];
  tasks: {
    id: string;
    name: string;
    error: string | null;
    interrupts: unknown[];
    /** A subgraph task's checkpoint: its namespace, and its id once known. */
    checkpoint: TaskCheckpointRef | null;
    /** With `subgraphs`: the subgraph's ThreadState. */
    state: Json | null;
    result?: unknown;
  }[];
  metadata: Json | null;
  created_at: string | null;
  checkpoint: CheckpointRef | null;
  parent_checkpoint: CheckpointRef | null;
  interrupts: unknown[];
}

export interface HistoryQuery {
  limit: number;
  /** Only states older than this checkpoint. */
  before?: string | CheckpointQuery | null;
  /** Only states whose checkpoint metadata has all these key/value pairs. */
  metadata?: Json | null;
  /** Namespace to list (root when empty); with `checkpoint_id`, start from that checkpoint (inclusive). */
  checkpoint?: CheckpointQuery | null;
}

export interface StateUpdate {
  values?: unknown;
  as_node?: string | null;
  checkpoint_id?: string | null;
  checkpoint?: CheckpointQuery | null;
}

/** `as_node` values LangGraph's `updateState` understands besides the graph's own nodes. */
const SPECIAL_AS_NODES = new Set(["__input__", "__copy__", "__end__"]);

const EMPTY_STATE: ThreadStateView = {
  values: {},
  next: [],
  tasks: [],
  metadata: null,
  created_at: null,
  checkpoint: null,
  parent_checkpoint: null,
  interrupts: [],
};

function refOf(config: RunnableConfig | undefined): CheckpointRef | null {
  const c = config?.configurable;
  if (!c?.checkpoint_id) return null;
  return {
    thread_id: String(c.thread_id),
    checkpoint_ns: String(c.checkpoint_ns ?? ""),
    checkpoint_id: String(c.checkpoint_id),
    checkpoint_map: (c.checkpoint_map as Json | undefined) ?? null,
  };
}

/** A subgraph task's `state` config: names the namespace even before it has a checkpoint. */
function taskRefOf(config: RunnableConfig | undefined): TaskCheckpointRef | null {
  const c = config?.configurable;
  if (!c?.checkpoint_ns && !c?.checkpoint_id) return null;
  return {
    thread_id: String(c.thread_id),
    checkpoint_ns: String(c.checkpoint_ns ?? ""),
    ...(c.checkpoint_id ? { checkpoint_id: String(c.checkpoint_id) } : {}),
    checkpoint_map: (c.checkpoint_map as Json | undefined) ?? null,
  };
}

function isSnapshot(value: unknown): value is StateSnapshot {
  return typeof value === "object" && value !== null && "values" in value && "next" in value;
}

/** A snapshot that names a checkpoint nobody wrote (LangGraph answers those with an empty state). */
function exists(snapshot: StateSnapshot): boolean {
  return snapshot.createdAt !== undefined || snapshot.metadata !== undefined;
}

export function toStateView(snapshot: StateSnapshot): ThreadStateView {
  const tasks = snapshot.tasks.map((t) => {
    // Without `subgraphs` a subgraph task's `state` is the config of its checkpoint; with it, its snapshot.
    const sub = isSnapshot(t.state) ? t.state : null;
    return {
      id: t.id,
      name: t.name,
      error: t.error ? String((t.error as Error).message ?? t.error) : null,
      interrupts: toPlain<unknown[]>(t.interrupts ?? []),
      checkpoint: taskRefOf(sub ? sub.config : ((t.state as RunnableConfig | undefined) ?? undefined)),
      state: sub ? (toStateView(sub) as unknown as Json) : null,
      ...(t.result !== undefined ? { result: toPlain(t.result) } : {}),
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

export class ThreadStateReader {
  constructor(private readonly registry: GraphRegistry) {}

  /** The thread's graph: the one its runs used, or the `graph_id` it was created with. */
  private async graphFor(thread: ThreadRecord): Promise<RunnableGraph | null> {
    const graphId = thread.metadata.graph_id;
    if (typeof graphId !== "string" || !this.registry.has(graphId)) return null;
    return this.registry.get(graphId);
  }

  private configFor(thread: ThreadRecord, checkpoint?: CheckpointQuery | null): RunnableConfig {
    return {
      configurable: {
        thread_id: thread.thread_id,
        checkpoint_ns: checkpoint?.checkpoint_ns ?? "",
        ...(checkpoint?.checkpoint_id ? { checkpoint_id: checkpoint.checkpoint_id } : {}),
        ...(checkpoint?.checkpoint_map ? { checkpoint_map: checkpoint.checkpoint_map } : {}),
      },
    };
  }

  async current(thread: ThreadRecord, subgraphs = false): Promise<ThreadStateView> {
    const graph = await this.graphFor(thread);
    if (!graph) return EMPTY_STATE;
    const snapshot = await graph.getState(this.configFor(thread), { subgraphs });
    if (!snapshot.config?.configurable?.checkpoint_id || !exists(snapshot)) return EMPTY_STATE;
    return toStateView(snapshot);
  }

  /**
   * The state at one checkpoint of the thread (the latest of its namespace when no id is given);
   * null when the thread has no such checkpoint.
   */
  async atCheckpoint(
    thread: ThreadRecord,
    checkpoint: CheckpointQuery,
    subgraphs = false,
  ): Promise<ThreadStateView | null> {
    const graph = await this.graphFor(thread);
    if (!graph) return null;
    const snapshot = await graph.getState(this.configFor(thread, checkpoint), { subgraphs });
    if (!exists(snapshot) || !snapshot.config?.configurable?.checkpoint_id) return null;
    return toStateView(snapshot);
  }

  async history(thread: ThreadRecord, query: HistoryQuery): Promise<ThreadStateView[]> {
    const graph = await this.graphFor(thread);
    if (!graph) return [];
    const ns = query.checkpoint?.checkpoint_ns ?? "";
    const filter = query.metadata && Object.keys(query.metadata).length ? query.metadata : null;
    let beforeId = (typeof query.before === "string" ? query.before : query.before?.checkpoint_id) || undefined;
    const out: ThreadStateView[] = [];

    // Starting from a checkpoint: that checkpoint (if it passes the filters), then the older ones.
    const fromId = query.checkpoint?.checkpoint_id || undefined;
    if (fromId && (beforeId === undefined || fromId < beforeId)) {
      const from = await this.atCheckpoint(thread, { checkpoint_ns: ns, checkpoint_id: fromId });
      if (!from) return [];
      if (metadataMatches(from.metadata, filter)) out.push(from);
      beforeId = fromId;
    }
    if (out.length >= query.limit) return out;

    const listConfig = this.configFor(thread, { checkpoint_ns: ns });
    for await (const snapshot of graph.getStateHistory(listConfig, {
      limit: query.limit - out.length,
      ...(beforeId ? { before: this.configFor(thread, { checkpoint_ns: ns, checkpoint_id: beforeId }) } : {}),
      ...(filter ? { filter } : {}),
    })) {
      out.push(toStateView(snapshot));
    }
    return out;
  }

  /**
   * LangGraph `updateState`: writes `values` as if `as_node` had returned them, on the latest
   * checkpoint or, with `checkpoint_id` / `checkpoint`, forking from that one. Returns the new
   * checkpoint and the thread's state after the update. Bad input throws a 422 naming the field
   * before anything is written. The caller guarantees no run of the thread is active.
   */
  async update(
    thread: ThreadRecord,
    body: StateUpdate,
  ): Promise<{ checkpoint: CheckpointRef; state: ThreadStateView }> {
    const graph = await this.graphFor(thread);
    if (!graph) {
      const msg =
        typeof thread.metadata.graph_id === "string"
          ? `the thread's graph "${thread.metadata.graph_id}" is not served here`
          : "the thread has no graph yet: run a graph on it first, or create it with metadata.graph_id";
      throw new UnprocessableError([{ loc: ["body"], msg, type: "value_error" }]);
    }
    const fork = body.checkpoint ?? null;
    if (fork?.thread_id && fork.thread_id !== thread.thread_id) {
      throw invalid("body", "checkpoint.thread_id", "the checkpoint belongs to another thread");
    }
    const forkId = fork?.checkpoint_id || body.checkpoint_id || undefined;
    const field = fork?.checkpoint_id ? "checkpoint.checkpoint_id" : "checkpoint_id";
    const config = this.configFor(thread, { ...(fork ?? {}), checkpoint_id: forkId });
    config.metadata = { graph_id: thread.metadata.graph_id };

    if (forkId) {
      const saver = graph.checkpointer as BaseCheckpointSaver;
      if (!(await saver.getTuple(config))) {
        throw invalid("body", field, `checkpoint ${forkId} does not exist on thread ${thread.thread_id}`);
      }
    }
    const asNode = body.as_node ?? undefined;
    if (asNode !== undefined && !config.configurable?.checkpoint_ns) {
      const nodes = Object.keys((graph as unknown as { nodes?: Record<string, unknown> }).nodes ?? {});
      if (!nodes.includes(asNode) && !SPECIAL_AS_NODES.has(asNode)) {
        throw invalid("body", "as_node", `"${asNode}" is not a node of this graph (nodes: ${nodes.join(", ")})`);
      }
    }

    let next: RunnableConfig;
    try {
      next = await graph.updateState(config, body.values, asNode);
    } catch (err) {
      if (err instanceof InvalidUpdateError || (err as Error)?.name === "InvalidUpdateError") {
        const msg = (err as Error).message;
        throw invalid("body", /asNode|Node "/.test(msg) ? "as_node" : "values", msg);
      }
      if ((err as Error)?.name === "ZodError" || (err as Error)?.name === "StateGraphInputError") {
        throw invalid("body", "values", (err as Error).message);
      }
      throw err;
    }
    const checkpoint = refOf(next);
    if (!checkpoint) throw new Error("updateState returned no checkpoint");
    return { checkpoint, state: await this.current(thread) };
  }
}
