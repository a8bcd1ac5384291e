/**
 * Executes one run: streams the LangGraph graph, publishes each event to the
 * run's stream log, records the journal, and settles the run's final status,
 * its thread, and what happens after (temporary thread, webhook).
 */
import { Command } from "@langchain/langgraph";
import type { Logger } from "../logger.ts";
import type { Json, RunRecord, RunStatus, Stores, ThreadPatch, ThreadStatus } from "../stores/types.ts";
import type { GraphRegistry, RunnableGraph } from "./graph-registry.ts";
import type { StreamHub } from "./stream-hub.ts";
import { RunJournal } from "./run-journal.ts";
import { streamGraph } from "./graph-stream.ts";
import { toPlain } from "./serialize.ts";
import type { RunPlan } from "./run-plan.ts";
import type { RunOutcome } from "./run-waiters.ts";
import type { RunTurns } from "./run-turns.ts";

export type CancelAction = "interrupt" | "rollback";

/** In-process handle of a run that is executing. */
export interface ActiveRun {
  run: RunRecord;
  controller: AbortController;
  /** Set when someone cancels the run; decides how it ends. */
  cancelAction: CancelAction | null;
  /** A rollback by a newer run (multitask `rollback`) also removes this run's record. */
  removeOnRollback: boolean;
  /** Settles when the run has reached its final status. */
  done: Promise<RunOutcome>;
}

export interface ExecutorDeps {
  stores: Stores;
  registry: GraphRegistry;
  streams: StreamHub;
  logger: Logger;
  turns: RunTurns;
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

/** Runs the graph. The run must already be `running` (claimed by the queue). */
export async function executeRun(deps: ExecutorDeps, active: ActiveRun, plan: RunPlan): Promise<RunOutcome> {
  const { stores, streams, logger } = deps;
  const { run } = active;
  const log = logger.child({ run_id: run.run_id, thread_id: run.thread_id });

  const journal = new RunJournal(run.thread_id, run.run_id);
  journal.record("run.start", "trace", { assistant_id: run.assistant_id, graph_id: plan.graphId });
  journal.recordInput(run.kwargs.input);

  let status: RunStatus = "success";
  let errorMessage: string | null = null;
  let failure: { error: string; message: string } | null = null;
  let graph: RunnableGraph | null = null;
  try {
    graph = await deps.registry.get(plan.graphId, plan.config);
    const events = streamGraph(graph, inputFor(run), {
      options: {
        ...plan.config,
        context: plan.context,
        interruptBefore: plan.interruptBefore,
        interruptAfter: plan.interruptAfter,
        durability: plan.durability,
        signal: active.controller.signal,
        callbacks: [journal],
      },
      graphModes: plan.graphModes,
      subgraphs: plan.subgraphs,
    });
    for await (const { event, data } of events) {
      streams.publish(run.run_id, event, data);
      await deps.turns.turnIfDue(run.run_id);
    }
    if (active.controller.signal.aborted) throw active.controller.signal.reason ?? new Error("aborted");
  } catch (err) {
    if (active.cancelAction !== null) {
      status = active.cancelAction === "rollback" ? "error" : "interrupted";
      errorMessage = active.cancelAction === "rollback" ? "Rolled back by user" : null;
    } else {
      status = "error";
      failure = errorInfo(err);
      errorMessage = `${failure.error}: ${failure.message}`;
      streams.publish(run.run_id, "error", failure);
      journal.record("run.error", "error", failure);
      log.warn({ err }, "run failed");
    }
  }

  await deps.turns.turnIfDue(run.run_id);
  const rolledBack = active.cancelAction === "rollback";
  if (rolledBack) {
    const removed = await stores.checkpointAdmin.deleteRunCheckpoints(run.thread_id, run.run_id);
    log.info({ removed }, "rolled back the run's checkpoints");
  }
  journal.record("run.end", "outputs", { status, error: errorMessage });
  const outcome = active.cancelAction !== null ? "cancelled" : status === "error" ? "failed" : "completed";
  const state = await graphState(graph ?? (await graphOrNull(deps, plan.graphId)), run.thread_id).catch((err) => {
    // The run still ends; the thread keeps its cached values.
    log.error({ err }, "could not read the thread's state after the run");
    return UNKNOWN_STATE;
  });
  // The journal, the run's final status and its thread's in one transaction.
  const final =
    (await stores.lifecycle.finish({
      run_id: run.run_id,
      thread_id: run.thread_id,
      from: ["running"],
      to: status,
      patch: { error: errorMessage, counters: journal.counters },
      journal: journal.drain(),
      thread: (activeRuns) => threadAfterRun(state, outcome, activeRuns),
    })) ?? run;
  if (rolledBack && active.removeOnRollback) await stores.runs.delete(run.run_id);

  await streams.finish(run.run_id);
  if (failure) return { run: final, values: { __error__: failure } };
  const values = state.values ?? {};
  // Like LangGraph Platform, a run that stopped at an interrupt answers with it.
  const interrupts = Object.values(state.interrupts).flat();
  return { run: final, values: interrupts.length ? { ...values, __interrupt__: interrupts } : values };
}

export async function graphOrNull(
  deps: Pick<ExecutorDeps, "registry">,
  graphId: string,
): Promise<RunnableGraph | null> {
  return deps.registry.has(graphId) ? deps.registry.get(graphId) : null;
}

/** A thread's state as its graph's checkpoints have it; `graph` null (unknown graph): nothing known. */
interface GraphState {
  known: boolean;
  values: Json | null;
  next: string[];
  /** Pending interrupts by task id. */
  interrupts: Json;
}

const UNKNOWN_STATE: GraphState = Object.freeze({ known: false, values: null, next: [], interrupts: {} });

async function graphState(graph: RunnableGraph | null, threadId: string): Promise<GraphState> {
  if (!graph) return UNKNOWN_STATE;
  const interrupts: Json = {};
  const state = await graph.getState({ configurable: { thread_id: threadId } });
  const values = state.values && Object.keys(state.values as object).length ? toPlain<Json>(state.values) : null;
  for (const task of state.tasks) {
    if (task.interrupts?.length) interrupts[task.id] = toPlain(task.interrupts);
  }
  return { known: true, values, next: state.next as string[], interrupts };
}

/**
 * The thread after a run ends: `busy` while other runs are active (pending or running),
 * `error` after a failure, `interrupted` when the graph stopped at an interrupt, otherwise
 * `idle`; its cached values and pending interrupts from the graph's state.
 */
function threadAfterRun(
  state: GraphState,
  outcome: "completed" | "failed" | "cancelled",
  activeRuns: number,
): ThreadPatch {
  let status: ThreadStatus;
  if (activeRuns > 0) status = "busy";
  else if (outcome === "failed") status = "error";
  else if (state.next.length > 0 && outcome === "completed") status = "interrupted";
  else status = "idle";
  return { status, ...(state.known ? { values: state.values } : {}), interrupts: state.interrupts };
}

/** Settles a thread outside a run's end (a cancelled pending run, recovery): as `threadAfterRun`. */
export async function settleThread(
  deps: Pick<ExecutorDeps, "stores">,
  threadId: string,
  graph: RunnableGraph | null,
  outcome: "completed" | "failed" | "cancelled",
): Promise<void> {
  const state = await graphState(graph, threadId);
  const remaining = await deps.stores.runs.activeForThread(threadId);
  await deps.stores.threads.update(threadId, threadAfterRun(state, outcome, remaining.length));
}
