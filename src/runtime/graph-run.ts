/**
 * The graph side of a run: streams the LangGraph graph, hands each event to a
 * sink as wire JSON, keeps the run's journal, and rolls back the run's
 * checkpoints when it is cancelled with `rollback`.
 *
 * It touches only the graph, its checkpointer and the checkpoint admin, so it
 * runs wherever the graph does: in a graph worker thread (the default) or in
 * the server's own thread. What it returns is plain data (structured-clone
 * safe). The server side (`executeRun`) reads the thread's state from the
 * checkpoints and turns both into the run's final status: the state read
 * (~0.2 ms per run) goes to the less busy thread, which measured +10% runs/s.
 */
import { Command } from "@langchain/langgraph";
import type { Logger } from "../logger.ts";
import type { CheckpointAdmin, NewJournalEntry, RunRecord, RunStatus, RunTokenCounters } from "../stores/types.ts";
import type { GraphRegistry } from "./graph-registry.ts";
import { RunJournal, emptyCounters } from "./run-journal.ts";
import { streamGraph } from "./graph-stream.ts";
import { toJson } from "./serialize.ts";
import type { RunPlan } from "./run-plan.ts";
import type { RunTurns } from "./run-turns.ts";

/** How a run is stopped: by a client (`interrupt`, `rollback`) or by the server shutting down. */
export type CancelAction = "interrupt" | "rollback" | "shutdown";

/** What a run stopped by the server's shutdown ends with: its error event, `__error__` and stored error. */
export const SHUTDOWN_FAILURE = Object.freeze({
  error: "ServerShutdown",
  message: "the server is shutting down; the run was stopped, its last checkpoint is kept",
});

/** What a graph run needs to know about its run: the stored record and the plan made from it. */
export interface GraphJob {
  run: RunRecord;
  plan: RunPlan;
}

/** Where a graph run's events go: the event name and its payload as wire JSON. */
export interface GraphEventSink {
  publish(event: string, data: string): void;
}

/** How the server side stops a graph run: the signal aborts it; the action says how it is to end. */
export interface GraphRunControl {
  signal: AbortSignal;
  cancelAction(): CancelAction | null;
}

/** How a graph run ended, and everything the server side writes at its end. */
export interface GraphRunEnd {
  status: Extract<RunStatus, "success" | "error" | "interrupted">;
  /** The run's stored error text (also "Rolled back by user"). */
  errorMessage: string | null;
  /** A failure of the graph itself (not a cancel): what `runs/wait` answers as `__error__`. */
  failure: { error: string; message: string } | null;
  /** The cancel the graph run saw, if it was stopped by one. */
  cancelled: CancelAction | null;
  journal: NewJournalEntry[];
  counters: RunTokenCounters;
}

export interface GraphRunDeps {
  registry: GraphRegistry;
  checkpointAdmin: CheckpointAdmin;
  turns: RunTurns;
  logger: Logger;
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

/** Runs the graph of `job` to its end. Never throws: a failure is part of what it returns. */
export async function runGraph(
  deps: GraphRunDeps,
  { run, plan }: GraphJob,
  sink: GraphEventSink,
  control: GraphRunControl,
): Promise<GraphRunEnd> {
  const log = deps.logger.child({ run_id: run.run_id, thread_id: run.thread_id });
  const journal = new RunJournal(run.thread_id, run.run_id);
  journal.record("run.start", "trace", { assistant_id: run.assistant_id, graph_id: plan.graphId });
  journal.recordInput(run.kwargs.input);

  let status: GraphRunEnd["status"] = "success";
  let errorMessage: string | null = null;
  let failure: GraphRunEnd["failure"] = null;
  try {
    const graph = await deps.registry.get(plan.graphId, plan.config);
    const events = streamGraph(graph, inputFor(run), {
      options: {
        ...plan.config,
        context: plan.context,
        interruptBefore: plan.interruptBefore,
        interruptAfter: plan.interruptAfter,
        durability: plan.durability,
        signal: control.signal,
        callbacks: [journal],
      },
      graphModes: plan.graphModes,
      subgraphs: plan.subgraphs,
    });
    for await (const { event, data } of events) {
      sink.publish(event, toJson(data));
      await deps.turns.turnIfDue(run.run_id);
    }
    if (control.signal.aborted) throw control.signal.reason ?? new Error("aborted");
  } catch (err) {
    const action = control.cancelAction();
    if (action === "shutdown") {
      // Not a success and not the client's doing: an error its clients are told of, with the reason.
      status = "error";
      failure = { ...SHUTDOWN_FAILURE };
      errorMessage = `${failure.error}: ${failure.message}`;
      sink.publish("error", toJson(failure));
      journal.record("run.error", "error", failure);
    } else if (action !== null) {
      status = action === "rollback" ? "error" : "interrupted";
      errorMessage = action === "rollback" ? "Rolled back by user" : null;
    } else {
      status = "error";
      failure = errorInfo(err);
      errorMessage = `${failure.error}: ${failure.message}`;
      sink.publish("error", toJson(failure));
      journal.record("run.error", "error", failure);
      log.warn({ err }, "run failed");
    }
  }

  await deps.turns.turnIfDue(run.run_id);
  const cancelled = control.cancelAction();
  if (cancelled === "rollback") {
    try {
      const removed = await deps.checkpointAdmin.deleteRunCheckpoints(run.thread_id, run.run_id);
      log.info({ removed }, "rolled back the run's checkpoints");
    } catch (err) {
      log.error({ err }, "could not roll back the run's checkpoints");
    }
  }
  journal.record("run.end", "outputs", { status, error: errorMessage });
  return { status, errorMessage, failure, cancelled, journal: journal.drain(), counters: journal.counters };
}

/** The end of a graph run that could not run at all (its executor failed): an error, nothing known of the state. */
export function failedEnd(err: unknown): GraphRunEnd {
  const failure = errorInfo(err);
  return {
    status: "error",
    errorMessage: `${failure.error}: ${failure.message}`,
    failure,
    cancelled: null,
    journal: [],
    counters: emptyCounters(),
  };
}
