/**
 * Executes one run: streams the LangGraph graph, publishes each chunk to the
 * run's stream log, records the journal, and settles the run's final status.
 */
import { Command } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { Logger } from "../logger.ts";
import type { Json, RunRecord, RunStatus, Stores, ThreadStatus } from "../stores/types.ts";
import type { GraphRegistry } from "./graph-registry.ts";
import type { StreamHub } from "./stream-hub.ts";
import { RunJournal } from "./run-journal.ts";
import { eventName, splitChunk, type GraphStreamMode } from "./stream-modes.ts";
import { toPlain } from "./serialize.ts";

export type CancelAction = "interrupt" | "rollback";

/** In-process handle of a run that is executing (or about to). */
export interface ActiveRun {
  run: RunRecord;
  controller: AbortController;
  /** Set when someone cancels the run; decides how it ends. */
  cancelAction: CancelAction | null;
  /** Settles when the run has reached its final status. */
  done: Promise<RunRecord>;
}

export interface ExecutorDeps {
  stores: Stores;
  registry: GraphRegistry;
  streams: StreamHub;
  logger: Logger;
}

/** What the run manager resolved from the request before queueing the run. */
export interface RunPlan {
  graphId: string;
  config: RunnableConfig & { configurable: Json };
  context: Json | undefined;
  graphModes: GraphStreamMode[];
  subgraphs: boolean;
  interruptBefore?: "*" | string[];
  interruptAfter?: "*" | string[];
  durability?: "sync" | "async" | "exit";
}

function errorInfo(err: unknown): { error: string; message: string } {
  if (err instanceof Error) return { error: err.name || "Error", message: err.message };
  return { error: "Error", message: String(err) };
}

function inputFor(run: RunRecord): unknown {
  const command = run.kwargs.command as { resume?: unknown; update?: unknown; goto?: unknown } | null | undefined;
  if (command) return new Command(command as ConstructorParameters<typeof Command>[0]);
  return run.kwargs.input ?? null;
}

export async function executeRun(deps: ExecutorDeps, active: ActiveRun, plan: RunPlan): Promise<RunRecord> {
  const { stores, streams, logger } = deps;
  const { run } = active;
  const log = logger.child({ run_id: run.run_id, thread_id: run.thread_id });

  const started = await stores.runs.transition(run.run_id, ["pending"], "running");
  if (!started) {
    // Cancelled before it started: nothing ran, nothing to undo.
    await streams.finish(run.run_id);
    return (await stores.runs.get(run.run_id)) ?? run;
  }

  streams.publish(run.run_id, "metadata", { run_id: run.run_id, attempt: 1 });
  const journal = new RunJournal(run.thread_id, run.run_id);
  journal.record("run.start", "trace", { assistant_id: run.assistant_id, graph_id: plan.graphId });
  journal.recordInput(run.kwargs.input);

  let status: RunStatus = "success";
  let errorMessage: string | null = null;
  let graph: Awaited<ReturnType<GraphRegistry["get"]>> | null = null;
  try {
    graph = await deps.registry.get(plan.graphId, plan.config);
    const stream = await graph.stream(inputFor(run), {
      ...plan.config,
      context: plan.context,
      streamMode: plan.graphModes,
      subgraphs: plan.subgraphs,
      interruptBefore: plan.interruptBefore === "*" ? "*" : plan.interruptBefore,
      interruptAfter: plan.interruptAfter === "*" ? "*" : plan.interruptAfter,
      durability: plan.durability,
      signal: active.controller.signal,
      callbacks: [journal],
    });
    for await (const chunk of stream) {
      const { namespace, mode, payload } = splitChunk(chunk);
      streams.publish(run.run_id, eventName(mode, namespace), payload);
    }
    if (active.controller.signal.aborted) throw active.controller.signal.reason ?? new Error("aborted");
  } catch (err) {
    if (active.cancelAction !== null) {
      status = active.cancelAction === "rollback" ? "error" : "interrupted";
      errorMessage = active.cancelAction === "rollback" ? "Rolled back by user" : null;
    } else {
      status = "error";
      const info = errorInfo(err);
      errorMessage = `${info.error}: ${info.message}`;
      streams.publish(run.run_id, "error", info);
      journal.record("run.error", "error", info);
      log.warn({ err }, "run failed");
    }
  }

  if (active.cancelAction === "rollback") {
    const removed = await stores.checkpointAdmin.deleteRunCheckpoints(run.thread_id, run.run_id);
    log.info({ removed }, "rolled back run checkpoints");
  }
  journal.record("run.end", "outputs", { status, error: errorMessage });

  const final = await stores.runs.transition(run.run_id, ["running"], status, {
    error: errorMessage,
    counters: journal.counters,
  });
  await stores.journal.append(journal.drain());
  const outcome = active.cancelAction !== null ? "cancelled" : status === "error" ? "failed" : "completed";
  await settleThread(deps, run.thread_id, graph, outcome);
  await streams.finish(run.run_id);
  return final ?? (await stores.runs.get(run.run_id)) ?? run;
}

/** Thread status and cached values after a run ends. */
export async function settleThread(
  deps: Pick<ExecutorDeps, "stores" | "registry">,
  threadId: string,
  graph: Awaited<ReturnType<GraphRegistry["get"]>> | null,
  outcome: "completed" | "failed" | "cancelled",
): Promise<void> {
  const remaining = await deps.stores.runs.activeForThread(threadId);
  let values: Json | null | undefined;
  let interrupts: Json = {};
  let next: string[] = [];
  if (graph) {
    const state = await graph.getState({ configurable: { thread_id: threadId } });
    values = state.values && Object.keys(state.values as object).length ? toPlain<Json>(state.values) : null;
    next = state.next as string[];
    for (const task of state.tasks) {
      if (task.interrupts?.length) interrupts[task.id] = toPlain(task.interrupts);
    }
  }
  let status: ThreadStatus;
  if (remaining.length > 0) status = "busy";
  else if (outcome === "failed") status = "error";
  else if (next.length > 0 && outcome === "completed") status = "interrupted";
  else status = "idle";
  if (Object.keys(interrupts).length === 0) interrupts = {};
  await deps.stores.threads.update(threadId, { status, ...(values !== undefined ? { values } : {}), interrupts });
}
