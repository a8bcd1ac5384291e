/**
 * Thread state from LangGraph checkpoints: the current state, the state at one
 * checkpoint, history, `updateState` (writing values as if a node had returned
 * them) and the supersteps a thread can be created with. The wire shape is
 * state-view.ts's; what a request names is checked against the graph
 * (state-checks.ts) before LangGraph is asked. The thread's graph is built
 * with the thread's config, so a factory graph has the nodes its runs had.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import { Command, Send } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { UnprocessableError, invalid } from "../../http/errors.ts";
import type { Json, ThreadRecord } from "../../stores/types.ts";
import type { Schema } from "../../contract.ts";
import type { GraphRegistry, RunnableGraph } from "../graphs/registry.ts";
import { metadataMatches } from "../shared/metadata-filter.ts";
import { mergeConfigLayers } from "./config.ts";
import { refuse, requireNamespace, requireNode, updateRefused, type Loc } from "./state-checks.ts";
import {
  EMPTY_STATE,
  exists,
  refOf,
  toStateView,
  type CheckpointQuery,
  type CheckpointRef,
  type ThreadStateView,
} from "./state-view.ts";

export { cachedValues, interruptsByTask, toStateView } from "./state-view.ts";
export type { CheckpointQuery, CheckpointRef, ThreadStateView } from "./state-view.ts";

export interface HistoryQuery {
  limit: number;
  /** Only states older than this checkpoint. */
  before?: string | CheckpointQuery | null;
  /** Only states whose checkpoint metadata has all these key/value pairs. */
  metadata?: Json | null;
  /** Namespace to list (root when empty); with `checkpoint_id`, start from that checkpoint (inclusive). */
  checkpoint?: CheckpointQuery | null;
}

/** The body of `updateThreadState`: the spec's ThreadStateUpdate. */
export type StateUpdate = Schema<"ThreadStateUpdate">;

/**
 * One superstep of `POST /threads`, the spec's ThreadSuperstep: its updates make one checkpoint, each
 * written as its node.
 */
export type Superstep = Schema<"ThreadSuperstep">;

/** A LangGraph command as clients send it; `goto` may name nodes or `{node, input}` sends. */
export type CommandBody = NonNullable<Superstep["updates"][number]["command"]>;

function toCommand(command: CommandBody): Command {
  const gotos = command.goto == null ? undefined : Array.isArray(command.goto) ? command.goto : [command.goto];
  return new Command({
    update: command.update as Record<string, unknown> | undefined,
    resume: command.resume,
    goto: gotos?.map((g) =>
      typeof g === "object" && g !== null
        ? new Send(String((g as { node: unknown }).node), (g as { input?: unknown }).input)
        : String(g),
    ),
  });
}

/**
 * The assistant a thread's runs used (its latest version), for the config the thread's graph is built
 * with: null unless it is a system assistant or one of the thread's owner (metadata names it, and a
 * caller may write metadata).
 */
export type AssistantConfigs = (
  assistantId: string,
  threadOwner: string | null,
) => Promise<{ graph_id: string; config: Json } | null>;

export class ThreadStateReader {
  constructor(
    private readonly registry: GraphRegistry,
    private readonly assistantOf: AssistantConfigs = async () => null,
  ) {}

  /** A graph served here, built with the given config (a factory graph's nodes depend on it). */
  private async servedGraph(graphId: unknown, config: Json): Promise<RunnableGraph | null> {
    if (typeof graphId !== "string" || !this.registry.has(graphId)) return null;
    return this.registry.get(graphId, config);
  }

  /**
   * The thread's graph: the one its runs used, or the `graph_id` it was created with, built as its runs
   * are, with the config of its runs' assistant (its latest version) under the thread's.
   */
  private async graphFor(thread: ThreadRecord): Promise<RunnableGraph | null> {
    const { graph_id: graphId, assistant_id: assistantId } = thread.metadata;
    const assistant = typeof assistantId === "string" ? await this.assistantOf(assistantId, thread.owner_id) : null;
    const layers = assistant && assistant.graph_id === graphId ? [assistant.config, thread.config] : [thread.config];
    return this.servedGraph(graphId, mergeConfigLayers(layers));
  }

  private configFor(threadId: string, checkpoint?: CheckpointQuery | null): RunnableConfig {
    return {
      configurable: {
        thread_id: threadId,
        checkpoint_ns: checkpoint?.checkpoint_ns ?? "",
        ...(checkpoint?.checkpoint_id ? { checkpoint_id: checkpoint.checkpoint_id } : {}),
        ...(checkpoint?.checkpoint_map ? { checkpoint_map: checkpoint.checkpoint_map } : {}),
      },
    };
  }

  async current(thread: ThreadRecord, subgraphs = false): Promise<ThreadStateView> {
    const graph = await this.graphFor(thread);
    if (!graph) return EMPTY_STATE;
    return this.latest(graph, thread.thread_id, subgraphs);
  }

  private async latest(graph: RunnableGraph, threadId: string, subgraphs: boolean): Promise<ThreadStateView> {
    const snapshot = await graph.getState(this.configFor(threadId), { subgraphs });
    if (!snapshot.config?.configurable?.checkpoint_id || !exists(snapshot)) return EMPTY_STATE;
    return toStateView(snapshot);
  }

  /**
   * The state at one checkpoint of the thread (the latest of its namespace when no id is given);
   * null when the thread has no such checkpoint. A namespace naming no subgraph of the graph is a
   * 422 on `body.checkpoint.checkpoint_ns`.
   */
  async atCheckpoint(
    thread: ThreadRecord,
    checkpoint: CheckpointQuery,
    subgraphs = false,
  ): Promise<ThreadStateView | null> {
    const graph = await this.graphFor(thread);
    if (!graph) return null;
    await requireNamespace(graph, checkpoint.checkpoint_ns, ["body", "checkpoint", "checkpoint_ns"]);
    const snapshot = await graph.getState(this.configFor(thread.thread_id, checkpoint), { subgraphs });
    if (!exists(snapshot) || !snapshot.config?.configurable?.checkpoint_id) return null;
    return toStateView(snapshot);
  }

  async history(thread: ThreadRecord, query: HistoryQuery): Promise<ThreadStateView[]> {
    const graph = await this.graphFor(thread);
    if (!graph) return [];
    const ns = query.checkpoint?.checkpoint_ns ?? "";
    await requireNamespace(graph, ns, ["body", "checkpoint", "checkpoint_ns"]);
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

    const listConfig = this.configFor(thread.thread_id, { checkpoint_ns: ns });
    for await (const snapshot of graph.getStateHistory(listConfig, {
      limit: query.limit - out.length,
      ...(beforeId ? { before: this.configFor(thread.thread_id, { checkpoint_ns: ns, checkpoint_id: beforeId }) } : {}),
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
    await requireNamespace(graph, fork?.checkpoint_ns, ["body", "checkpoint", "checkpoint_ns"]);
    const forkId = fork?.checkpoint_id || body.checkpoint_id || undefined;
    const field = fork?.checkpoint_id ? "checkpoint.checkpoint_id" : "checkpoint_id";
    const config = this.configFor(thread.thread_id, { ...(fork ?? {}), checkpoint_id: forkId });
    config.metadata = { graph_id: thread.metadata.graph_id };

    if (forkId) {
      const saver = graph.checkpointer as BaseCheckpointSaver;
      if (!(await saver.getTuple(config))) {
        throw invalid("body", field, `checkpoint ${forkId} does not exist on thread ${thread.thread_id}`);
      }
    }
    const asNode = body.as_node ?? undefined;
    // In a subgraph's namespace the update is the subgraph's, whose nodes LangGraph checks.
    if (asNode !== undefined && !config.configurable?.checkpoint_ns) requireNode(graph, asNode, ["body", "as_node"]);

    let next: RunnableConfig;
    try {
      next = await graph.updateState(config, body.values, asNode);
    } catch (err) {
      throw updateRefused(err, { asNode: ["body", "as_node"], values: ["body", "values"] });
    }
    const checkpoint = refOf(next);
    if (!checkpoint) throw new Error("updateState returned no checkpoint");
    return { checkpoint, state: await this.latest(graph, thread.thread_id, false) };
  }

  /**
   * The graph `POST /threads` applies `supersteps` with: the one `metadata.graph_id` names, with
   * every update's `as_node` one of its nodes. Throws a 422 naming the field otherwise.
   */
  async superstepsGraph(metadata: Json, supersteps: Superstep[]): Promise<RunnableGraph> {
    const graph = await this.servedGraph(metadata.graph_id, {});
    if (!graph) {
      const msg =
        typeof metadata.graph_id === "string"
          ? `graph "${metadata.graph_id}" is not served here`
          : "supersteps are applied by the thread's graph: give its id as metadata.graph_id";
      throw refuse(["body", "metadata", "graph_id"], msg);
    }
    supersteps.forEach((step, i) =>
      step.updates.forEach((u, j) => requireNode(graph, u.as_node, ["body", "supersteps", i, "updates", j, "as_node"])),
    );
    return graph;
  }

  /**
   * Applies `supersteps` to a thread that has no checkpoints yet (LangGraph `bulkUpdateState`): one
   * checkpoint per superstep, each update written as its `as_node`. All or nothing: when LangGraph
   * refuses one, every checkpoint of the thread is removed again and a 422 names the update.
   * Returns the state after the last superstep.
   */
  async applySupersteps(
    graph: RunnableGraph,
    threadId: string,
    graphId: string,
    supersteps: Superstep[],
  ): Promise<ThreadStateView> {
    const saver = graph.checkpointer as BaseCheckpointSaver;
    // Checkpoints of an id with no thread are nobody's (a delete that stopped half way): start clean.
    await saver.deleteThread(threadId);
    const bulk = graph as unknown as {
      bulkUpdateState(
        config: RunnableConfig,
        steps: { updates: { values: unknown; asNode: string }[] }[],
      ): Promise<RunnableConfig>;
    };
    let config: RunnableConfig = { ...this.configFor(threadId), metadata: { graph_id: graphId } };
    try {
      for (const [i, step] of supersteps.entries()) {
        const updates = step.updates.map((u) => ({
          values: u.command ? toCommand(u.command) : u.values,
          asNode: u.as_node,
        }));
        // One superstep at a time, so a refusal names its superstep (and its update, when it has one).
        const at: Loc = ["body", "supersteps", i, "updates", ...(updates.length === 1 ? [0] : [])];
        try {
          const next = await bulk.bulkUpdateState(config, [{ updates }]);
          config = { ...next, metadata: { graph_id: graphId } };
        } catch (err) {
          throw updateRefused(err, {
            asNode: updates.length === 1 ? [...at, "as_node"] : at,
            values: updates.length === 1 ? [...at, "values"] : at,
          });
        }
      }
      return await this.latest(graph, threadId, false);
    } catch (err) {
      await saver.deleteThread(threadId);
      throw err;
    }
  }
}
