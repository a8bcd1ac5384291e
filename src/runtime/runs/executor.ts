/**
 * Executes one run, server side: has its graph run by the GraphExecutor,
 * publishes each event to the run's stream log, reads the thread's state from
 * the checkpoints the graph left, and settles the run's final status, its
 * journal and its thread in one write; what happens after (temporary thread,
 * webhook) is the queue's business.
 */
import type { Logger } from "../../logger.ts";
import type { Json, RunRecord, Stores, ThreadPatch, ThreadStatus } from "../../stores/types.ts";
import type { GraphRegistry, RunnableGraph } from "../graphs/registry.ts";
import type { StreamHub } from "../streams/hub.ts";
import type { GraphExecutor } from "../graphs/executor.ts";
import type { RunnableConfig } from "@langchain/core/runnables";
import { ROLLED_BACK, errorInfo, type CancelAction, type GraphRunEnd, type RunPlan } from "../graphs/run.ts";
import { toJson, toPlain } from "../shared/serialize.ts";
import type { RunOutcome } from "./waiters.ts";
import type { RunTurns } from "../graphs/turns.ts";
import type { LeaseKeeper } from "./leases.ts";

/** In-process handle of a run that is executing. */
export interface ActiveRun {
  run: RunRecord;
  /** The lease epoch this worker claimed it at: its end is stored only while the epoch is still the run's. */
  epoch: number;
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
  executor: GraphExecutor;
  /** This thread's time slicing: a run's end waits for a turn, so a burst of ends does not hold up requests. */
  turns: RunTurns;
  leases: LeaseKeeper;
}

/**
 * What the clients of a run this process handed back are answered here (`runs/wait`, `join`): the
 * run goes on elsewhere, where it can be joined.
 */
export const HANDED_BACK = Object.freeze({
  error: "ServerShutdown",
  message:
    "this server stopped while the run was executing; the run was handed back and resumes from its last checkpoint on another worker (or at the next start): join it to follow it",
});

/** Runs the graph. The run must already be `running` (claimed by the queue). */
export async function executeRun(deps: ExecutorDeps, active: ActiveRun, plan: RunPlan): Promise<RunOutcome> {
  const { stores, streams } = deps;
  const { run } = active;
  let end = await deps.executor.execute(
    { run, plan },
    {
      publish: (event, data) => {
        streams.publishJson(run.run_id, event, data);
        return streams.room();
      },
    },
    { signal: active.controller.signal, cancelAction: () => active.cancelAction },
  );
  if (end.cancelled === "shutdown" || end.cancelled === "lost") return handBack(deps, active, end);
  // Runs of a graph worker end in bursts (one message each, handled back to back): settling one is ~0.5 ms
  // of this thread's time, so it waits for a turn and requests are answered in between.
  await deps.turns.turnIfDue(run.run_id);
  const lateRollback = () => active.cancelAction === "rollback" && end.cancelled !== "rollback";
  let state: GraphState;
  do {
    if (lateRollback()) end = await rollBackLate(deps, run, end);
    state = await graphOrNull(deps, plan.graphId, plan.config)
      .then((graph) => graphState(graph, run.thread_id))
      .catch((err) => {
        // The run still ends; the thread keeps its cached values.
        deps.logger.error({ err, run_id: run.run_id }, "could not read the thread's state after the run");
        return UNKNOWN_STATE;
      });
    // A rollback that came while the state was read: once more. From the last look to the final write
    // below nothing waits, so a cancel either is seen here or finds the run ended.
  } while (lateRollback());
  const outcome = end.cancelled !== null ? "cancelled" : end.status === "error" ? "failed" : "completed";
  // Where other processes follow the run through the database, every event is stored before its end is:
  // a reader that sees the run ended has all of it to read.
  if (deps.leases.settings.shared) await streams.flush();
  // The journal, the run's final status and its thread's in one transaction.
  let final: RunRecord;
  try {
    final =
      (await stores.lifecycle.finish({
        run_id: run.run_id,
        thread_id: run.thread_id,
        from: ["running"],
        to: end.status,
        patch: {
          error: end.errorMessage,
          counters: end.counters,
          ...(end.cancelled === "shutdown" ? { stop_reason: "shutdown" } : {}),
        },
        journal: end.journal,
        thread: (activeRuns) => threadAfterRun(state, outcome, activeRuns),
        epoch: active.epoch,
      })) ?? run;
  } catch (err) {
    // What the run produced cannot be stored (its journal, its values): the run still ends, as an error
    // saying so, without them, and its thread settles. If even that fails, the queue's last resort does.
    const failure = {
      error: "RunEndNotStored",
      message: `the run's end could not be stored: ${errorInfo(err).message}`,
    };
    deps.logger.error({ err, run_id: run.run_id }, failure.message);
    streams.publishJson(run.run_id, "error", toJson(failure));
    final =
      (await stores.lifecycle.finish({
        run_id: run.run_id,
        thread_id: run.thread_id,
        from: ["running"],
        to: "error",
        patch: { error: `${failure.error}: ${failure.message}` },
        journal: [],
        thread: (activeRuns) => threadAfterRun(UNKNOWN_STATE, "failed", activeRuns),
        epoch: active.epoch,
      })) ?? run;
    end = { ...end, status: "error", failure };
  }
  if (end.cancelled === "rollback" && active.removeOnRollback) await stores.runs.delete(run.run_id);

  await streams.finish(run.run_id).catch((err: unknown) => {
    deps.logger.error({ err, run_id: run.run_id }, "could not finish the run's stream log");
  });
  if (end.failure) return { run: final, values: { __error__: end.failure } };
  const values = state.values ?? {};
  // Like LangGraph Platform, a run that stopped at an interrupt answers with it.
  const interrupts = Object.values(state.interrupts).flat();
  return { run: final, values: interrupts.length ? { ...values, __interrupt__: interrupts } : values };
}

/**
 * The run stops here without ending: this process is shutting down (the run goes back to `pending`, to
 * be resumed from its last checkpoint with `attempt` + 1), or it lost the run's lease (another worker
 * has it: nothing is written). Its events so far are stored; its log leaves this process.
 */
async function handBack(deps: ExecutorDeps, active: ActiveRun, end: GraphRunEnd): Promise<RunOutcome> {
  const { run } = active;
  await deps.streams.detach(run.run_id);
  if (end.cancelled === "shutdown") {
    const hold = { run_id: run.run_id, epoch: active.epoch };
    if (await deps.stores.leases.handBack(deps.leases.workerId, hold)) {
      if (end.journal.length > 0) await deps.stores.journal.append(end.journal);
      deps.logger.info({ run_id: run.run_id, attempt: run.attempt }, "handed a run back to be resumed");
      deps.leases.settings.signals.wake(run.thread_id);
    }
  }
  return { run, values: { __error__: { ...HANDED_BACK } }, handedBack: true };
}

/**
 * A rollback that reached the run while it was still active here, but after its graph had ended (it
 * finished, or it was told of the cancel too late): its checkpoints go all the same, as a rollback's do.
 * The graph has ended, so none of its writes is still to land.
 */
async function rollBackLate(deps: ExecutorDeps, run: RunRecord, end: GraphRunEnd): Promise<GraphRunEnd> {
  try {
    const removed = await deps.stores.checkpointAdmin.deleteRunCheckpoints(run.thread_id, run.run_id, end.undo);
    deps.logger.info({ run_id: run.run_id, removed }, "rolled back the checkpoints of a run that had just ended");
  } catch (err) {
    deps.logger.error({ err, run_id: run.run_id }, "could not roll back the run's checkpoints");
  }
  return { ...end, status: "error", errorMessage: ROLLED_BACK, failure: null, cancelled: "rollback" };
}

export async function graphOrNull(
  deps: Pick<ExecutorDeps, "registry">,
  graphId: string,
  config?: RunnableConfig,
): Promise<RunnableGraph | null> {
  return deps.registry.loaded(graphId) ? deps.registry.get(graphId, config) : null;
}

/** A thread's state as its graph's checkpoints have it; `known` false when the graph is unknown. */
interface GraphState {
  known: boolean;
  values: Json | null;
  next: string[];
  /** Pending interrupts by task id. */
  interrupts: Json;
}

const UNKNOWN_STATE: GraphState = Object.freeze({ known: false, values: null, next: [], interrupts: {} });

/** The thread's state from its graph's latest checkpoint, in plain JSON; unknown when there is no graph. */
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
