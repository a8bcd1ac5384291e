/**
 * Reads thread state and history from LangGraph checkpoints in the wire shape
 * of LangGraph Platform's ThreadState.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StateSnapshot } from "@langchain/langgraph";
import type { Json, ThreadRecord } from "../stores/types.ts";
import type { GraphRegistry } from "./graph-registry.ts";
import { toPlain } from "./serialize.ts";

export interface CheckpointRef {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  checkpoint_map: Json | null;
}

export interface ThreadStateView {
  values: Json | unknown[];
  next: string[];
  tasks: {
    id: string;
    name: string;
    error: string | null;
    interrupts: unknown[];
    checkpoint: CheckpointRef | null;
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
  before?: string | { checkpoint_id?: string | null } | null;
  metadata?: Json | null;
  checkpoint?: { checkpoint_id?: string | null; checkpoint_ns?: string | null } | null;
}

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

export function toStateView(snapshot: StateSnapshot): ThreadStateView {
  const tasks = snapshot.tasks.map((t) => ({
    id: t.id,
    name: t.name,
    error: t.error ? String((t.error as Error).message ?? t.error) : null,
    interrupts: toPlain<unknown[]>(t.interrupts ?? []),
    checkpoint: refOf((t.state as RunnableConfig | undefined) ?? undefined),
    state: null,
    ...(t.result !== undefined ? { result: toPlain(t.result) } : {}),
  }));
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

export class ThreadStateReader {
  constructor(private readonly registry: GraphRegistry) {}

  private async graphFor(thread: ThreadRecord) {
    const graphId = thread.metadata.graph_id;
    if (typeof graphId !== "string" || !this.registry.has(graphId)) return null;
    return this.registry.get(graphId);
  }

  async current(thread: ThreadRecord, subgraphs = false): Promise<ThreadStateView> {
    const graph = await this.graphFor(thread);
    if (!graph) return EMPTY_STATE;
    const snapshot = await graph.getState({ configurable: { thread_id: thread.thread_id } }, { subgraphs });
    if (!snapshot.config?.configurable?.checkpoint_id) return EMPTY_STATE;
    return toStateView(snapshot);
  }

  async history(thread: ThreadRecord, query: HistoryQuery): Promise<ThreadStateView[]> {
    const graph = await this.graphFor(thread);
    if (!graph) return [];
    const beforeId = typeof query.before === "string" ? query.before : query.before?.checkpoint_id;
    const config: RunnableConfig = {
      configurable: {
        thread_id: thread.thread_id,
        checkpoint_ns: query.checkpoint?.checkpoint_ns ?? "",
        ...(query.checkpoint?.checkpoint_id ? { checkpoint_id: query.checkpoint.checkpoint_id } : {}),
      },
    };
    const out: ThreadStateView[] = [];
    for await (const snapshot of graph.getStateHistory(config, {
      limit: query.limit,
      ...(beforeId
        ? { before: { configurable: { thread_id: thread.thread_id, checkpoint_ns: "", checkpoint_id: beforeId } } }
        : {}),
      ...(query.metadata ? { filter: query.metadata } : {}),
    })) {
      out.push(toStateView(snapshot));
    }
    return out;
  }
}
