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
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseStore } from "@langchain/langgraph-checkpoint";
import { Command } from "@langchain/langgraph";
import type { Logger } from "../../logger.ts";
import type {
  CheckpointAdmin,
  Json,
  NewJournalEntry,
  RunRecord,
  RunStatus,
  RunTokenCounters,
  RunWriteUndo,
} from "../../stores/types.ts";
import type { GraphRegistry, RunnableGraph } from "./registry.ts";
import { RunJournal, emptyCounters } from "./journal.ts";
import { streamGraph } from "./stream.ts";
import { toJson } from "../shared/serialize.ts";
import type { GraphStreamMode } from "../streams/modes.ts";
import type { Assert, Equals, Parameter, Schema } from "../../contract.ts";
import type { RunTurns } from "./turns.ts";

/**
 * How a client cancels a run (the spec's CancelActionQuery, of `cancelRun`, `cancelRuns` and
 * `controlRunStream`): `interrupt` keeps the run's checkpoints, `rollback` removes them and the run.
 */
export type ClientCancelAction = Parameter<"CancelActionQuery">;
// The actions RunManager.stop and runGraph carry out: one the spec adds fails here until they do.
type _EveryClientCancelActionIsCarriedOut = Assert<Equals<ClientCancelAction, "interrupt" | "rollback">>;

/**
 * How a run is stopped: by a client, by the server shutting down (`shutdown`: the run is handed back, to
 * be resumed), or because this worker lost its lease (`lost`: another has the run; nothing is written).
 */
export type CancelAction = ClientCancelAction | "shutdown" | "lost";

/** When checkpoints are written (the spec's RunCreate `durability`, LangGraph's `durability` option). */
export type Durability = NonNullable<Schema<"RunCreate">["durability"]>;
// Passed to LangGraph as it is: the spec's values must stay the ones LangGraph takes.
type _DurabilityOfLangGraph = Assert<Equals<Durability, "sync" | "async" | "exit">>;

/** The stored error of a rolled-back run. */
export const ROLLED_BACK = "Rolled back by user";

/**
 * The LangGraph invocation a stored run becomes (built by `planRun`, runs/plan.ts, when the run starts):
 * the graph, its merged config and context, stream modes, breakpoints, durability.
 */
export interface RunPlan {
  graphId: string;
  config: RunnableConfig & { configurable: Json };
  context: Json | undefined;
  graphModes: GraphStreamMode[];
  subgraphs: boolean;
  /** Stream in protocol v2's shape (runs started by its `run.start`): the graph's modes and subgraphs do not apply. */
  protocol?: boolean;
  interruptBefore?: "*" | string[];
  interruptAfter?: "*" | string[];
  durability?: Durability;
}

/** What a graph run needs to know about its run: the stored record and the plan made from it. */
export interface GraphJob {
  run: RunRecord;
  plan: RunPlan;
}

/**
 * Where a graph run's events go: the event name and its payload as wire JSON. A promise back means the
 * events taken so far are more than the way to the store holds: the run waits for it before it takes
 * the graph's next event, so a graph that floods its stream is held back instead of filling memory.
 */
export interface GraphEventSink {
  publish(event: string, data: string): Promise<void> | undefined;
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
  /**
   * What undoing the run's pending writes on checkpoints it did not write takes, for a rollback the graph
   * side did not see (the cancel came as the run ended): see `CheckpointAdmin.releaseRun`.
   */
  undo: RunWriteUndo[];
}

export interface GraphRunDeps {
  registry: GraphRegistry;
  checkpointAdmin: CheckpointAdmin;
  turns: RunTurns;
  logger: Logger;
  /** The store the graph of a run of this owner sees (`config.store`); absent: none. */
  storeFor?: (owner: string | null) => BaseStore;
}

/** Text for anything thrown, whatever it is: a value with no toString, a bigint, a symbol. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return String(value);
  } catch {
    try {
      return JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

/** A thrown value as the run's error: its name and message, as strings (they are stored and sent as JSON). */
export function errorInfo(err: unknown): { error: string; message: string } {
  if (err instanceof Error) return { error: asText(err.name || "Error"), message: asText(err.message) };
  return { error: "Error", message: asText(err) };
}

/**
 * A later attempt of a run (its worker died, or handed it back) goes on from the last checkpoint it
 * wrote: the input is not given again, and a fork point it started from is behind it. A run that had
 * written none starts over as it was asked to.
 */
async function resumesFromCheckpoint(graph: RunnableGraph, run: RunRecord): Promise<boolean> {
  if (run.attempt <= 1) return false;
  const state = await graph.getState({ configurable: { thread_id: run.thread_id } });
  return (state.metadata as { run_id?: unknown } | undefined)?.run_id === run.run_id;
}

function withoutForkPoint(config: RunPlan["config"]): RunPlan["config"] {
  const { checkpoint_id: _id, checkpoint_ns: _ns, checkpoint_map: _map, ...configurable } = config.configurable;
  return { ...config, configurable };
}

function inputFor(run: RunRecord): unknown {
  const command = run.kwargs.command as { resume?: unknown; update?: unknown; goto?: unknown } | null | undefined;
  if (command) return new Command(command as ConstructorParameters<typeof Command>[0]);
  return run.kwargs.input ?? null;
}

/**
 * Runs the graph of `job` to its end. Never throws: a failure is part of what it returns.
 *
 * How a cancelled run ends is decided once, after the graph has stopped: a rollback (even of a graph that
 * had just finished) removes every checkpoint the run wrote. LangGraph's stream rejects as soon as the
 * signal aborts, while its loop still finishes the step and its checkpoint writes in the background: the
 * checkpointer drops the run's writes once it has ended (`releaseRun` / `deleteRunCheckpoints`), and those
 * still in flight land first, so nothing of the run is written after it ended, nor after its rollback.
 */
export async function runGraph(
  deps: GraphRunDeps,
  { run, plan }: GraphJob,
  sink: GraphEventSink,
  control: GraphRunControl,
): Promise<GraphRunEnd> {
  const log = deps.logger.child({ run_id: run.run_id, thread_id: run.thread_id });
  const journal = new RunJournal(run.thread_id, run.run_id);

  let status: GraphRunEnd["status"] = "success";
  let failure: GraphRunEnd["failure"] = null;
  try {
    journal.record("run.start", "trace", { assistant_id: run.assistant_id, graph_id: plan.graphId });
    // Cancelled before it started (the cancel came with the run): nothing runs, nothing is written.
    if (control.signal.aborted) throw control.signal.reason ?? new Error("aborted");
    const graph = await deps.registry.get(plan.graphId, plan.config);
    const resumed = await resumesFromCheckpoint(graph, run);
    if (resumed) journal.record("run.resume", "trace", { attempt: run.attempt });
    else journal.recordInput(run.kwargs.input);
    const events = streamGraph(graph, resumed ? null : inputFor(run), {
      options: {
        ...(resumed ? withoutForkPoint(plan.config) : plan.config),
        context: plan.context,
        interruptBefore: plan.interruptBefore,
        interruptAfter: plan.interruptAfter,
        durability: plan.durability,
        store: deps.storeFor?.(run.owner_id),
        signal: control.signal,
        callbacks: [journal],
      },
      graphModes: plan.graphModes,
      subgraphs: plan.subgraphs,
      protocol: plan.protocol === true,
    });
    for await (const { event, data } of events) {
      // Cancelled: what the graph emitted and the run has not taken yet goes no further (a flood may
      // have thousands of events waiting here).
      if (control.signal.aborted) break;
      const room = sink.publish(event, toJson(data));
      if (room) await room;
      await deps.turns.turnIfDue(run.run_id);
    }
    if (control.signal.aborted) throw control.signal.reason ?? new Error("aborted");
  } catch (err) {
    const action = control.cancelAction();
    if (action === "shutdown" || action === "lost") {
      // Not an end: the run is resumed from its last checkpoint (here after a restart, or elsewhere).
      status = "interrupted";
      journal.record("run.handback", "trace", { reason: action });
    } else if (action !== null) {
      status = "interrupted"; // or rolled back: decided below
    } else {
      status = "error";
      failure = errorInfo(err);
      sink.publish("error", toJson(failure));
      journal.record("run.error", "error", failure);
      log.warn({ err }, "run failed");
    }
  }

  await deps.turns.turnIfDue(run.run_id);
  const cancelled = control.cancelAction();
  let undo: RunWriteUndo[] = [];
  if (cancelled === "rollback") {
    status = "error";
    failure = null;
    try {
      const removed = await deps.checkpointAdmin.deleteRunCheckpoints(run.thread_id, run.run_id);
      log.info({ removed }, "rolled back the run's checkpoints");
    } catch (err) {
      log.error({ err }, "could not roll back the run's checkpoints");
    }
  } else {
    undo = await deps.checkpointAdmin.releaseRun(run.run_id).catch((err: unknown) => {
      log.error({ err }, "could not release the run's checkpoint writes");
      return [];
    });
  }
  const errorMessage = cancelled === "rollback" ? ROLLED_BACK : failure ? `${failure.error}: ${failure.message}` : null;
  journal.record("run.end", "outputs", { status, error: errorMessage });
  return {
    status,
    errorMessage,
    failure,
    cancelled,
    journal: journal.drain(),
    counters: journal.counters,
    undo,
  };
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
    undo: [],
  };
}
