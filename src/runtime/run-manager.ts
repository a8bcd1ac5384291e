/**
 * RunManager: admission (assistant, thread, multitask strategy), execution in
 * the background of the process, cancellation, waiting, and recovery of runs
 * a previous process left behind.
 */
import { v7 as uuidv7 } from "uuid";
import type { Logger } from "../logger.ts";
import type { Json, RunRecord, Stores, ThreadRecord } from "../stores/types.ts";
import { ConflictError, NotFoundError, invalid } from "../http/errors.ts";
import type { AssistantDirectory } from "./assistants.ts";
import type { GraphRegistry } from "./graph-registry.ts";
import type { StreamHub } from "./stream-hub.ts";
import { executeRun, settleThread, type ActiveRun, type CancelAction, type RunPlan } from "./run-executor.ts";
import { resolveStreamModes } from "./stream-modes.ts";

/** The run-creating request body (RunCreate in the spec). */
export interface RunRequest {
  assistant_id: string;
  input?: unknown;
  command?: { resume?: unknown; update?: unknown; goto?: unknown } | null;
  checkpoint_id?: string | null;
  checkpoint?: {
    checkpoint_id?: string;
    checkpoint_ns?: string;
    checkpoint_map?: Json | null;
    thread_id?: string;
  } | null;
  metadata?: Json | null;
  config?: (Json & { configurable?: Json; tags?: string[]; recursion_limit?: number }) | null;
  context?: Json | null;
  webhook?: string | null;
  interrupt_before?: "*" | string[] | null;
  interrupt_after?: "*" | string[] | null;
  on_disconnect?: "cancel" | "continue" | null;
  multitask_strategy?: "reject" | "rollback" | "interrupt" | "enqueue" | null;
  stream_mode?: string | string[] | null;
  stream_subgraphs?: boolean | null;
  stream_resumable?: boolean | null;
  after_seconds?: number | null;
  if_not_exists?: "create" | "reject" | null;
  on_completion?: "delete" | "keep" | null;
  feedback_keys?: string[] | null;
  durability?: "sync" | "async" | "exit" | null;
  checkpoint_during?: boolean | null;
}

export type CancelOutcome = "stopped" | "requested";

export interface RunManagerDeps {
  stores: Stores;
  registry: GraphRegistry;
  assistants: AssistantDirectory;
  streams: StreamHub;
  logger: Logger;
}

const TERMINAL = new Set(["success", "error", "timeout", "interrupted"]);

function mergeConfigurable(...layers: (Json | null | undefined)[]): Json {
  return Object.assign({}, ...layers.map((l) => (l?.configurable as Json | undefined) ?? {}));
}

export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  private closed = false;

  constructor(private readonly deps: RunManagerDeps) {}

  /** Validates, stores and starts a run on a thread. Throws 404/409/422 ApiErrors. */
  async create(threadId: string, body: RunRequest): Promise<RunRecord> {
    const { stores, assistants, streams, logger } = this.deps;
    const assistant = assistants.resolve(body.assistant_id);
    if (!assistant) {
      throw new NotFoundError(
        `No assistant found for "${body.assistant_id}". Make sure the assistant ID is for a valid assistant or a valid graph ID.`,
      );
    }
    const strategy = body.multitask_strategy ?? "reject";
    if (strategy !== "reject") {
      throw invalid("body", "multitask_strategy", `"${strategy}" is not supported yet; use "reject"`);
    }
    if (body.after_seconds) throw invalid("body", "after_seconds", "delayed runs are not supported yet");
    if (body.webhook) throw invalid("body", "webhook", "webhooks are not supported yet");
    if (body.checkpoint?.thread_id && body.checkpoint.thread_id !== threadId) {
      throw invalid("body", "checkpoint.thread_id", "checkpoint belongs to another thread");
    }

    let thread = await stores.threads.get(threadId);
    if (!thread) {
      if (body.if_not_exists !== "create") throw new NotFoundError(`Thread with ID ${threadId} not found`);
      thread =
        (await stores.threads.create({ thread_id: threadId, metadata: {} })) ?? (await stores.threads.get(threadId));
      if (!thread) throw new NotFoundError(`Thread with ID ${threadId} not found`);
    }

    const modes = resolveStreamModes(body.stream_mode, logger);
    const runId = uuidv7();
    const metadata: Json = { ...(body.metadata ?? {}) };
    const kwargs: Json = {
      input: body.input ?? null,
      command: body.command ?? null,
      config: body.config ?? {},
      context: body.context ?? {},
      stream_mode: modes.requested,
      stream_subgraphs: body.stream_subgraphs ?? false,
      stream_resumable: body.stream_resumable ?? false,
      interrupt_before: body.interrupt_before ?? null,
      interrupt_after: body.interrupt_after ?? null,
      on_disconnect: body.on_disconnect ?? "continue",
      checkpoint_id: body.checkpoint?.checkpoint_id ?? body.checkpoint_id ?? null,
      feedback_keys: body.feedback_keys ?? null,
      webhook: body.webhook ?? null,
      durability: body.durability ?? null,
    };
    const run = await stores.runs.insertIfIdle({
      run_id: runId,
      thread_id: threadId,
      assistant_id: assistant.assistant_id,
      metadata,
      kwargs,
      multitask_strategy: strategy,
    });
    if (!run) {
      throw new ConflictError(
        "Thread is already running a task. Wait for it to finish or choose a different multitask strategy.",
      );
    }
    await stores.threads.update(threadId, {
      status: "busy",
      metadata: { graph_id: assistant.graph_id, assistant_id: assistant.assistant_id },
    });

    const plan = this.plan(
      run,
      thread,
      assistant.graph_id,
      assistant.config,
      assistant.context,
      body,
      modes.graphModes,
    );
    streams.open(run.run_id);
    this.start(run, plan);
    return run;
  }

  private plan(
    run: RunRecord,
    thread: ThreadRecord,
    graphId: string,
    assistantConfig: Json,
    assistantContext: Json,
    body: RunRequest,
    graphModes: RunPlan["graphModes"],
  ): RunPlan {
    const requestConfig = body.config ?? {};
    const checkpointId = body.checkpoint?.checkpoint_id ?? body.checkpoint_id ?? undefined;
    const configurable: Json = {
      ...mergeConfigurable(assistantConfig, thread.config, requestConfig),
      thread_id: run.thread_id,
      run_id: run.run_id,
      assistant_id: run.assistant_id,
      graph_id: graphId,
      ...(checkpointId ? { checkpoint_id: checkpointId } : {}),
      ...(body.checkpoint?.checkpoint_ns ? { checkpoint_ns: body.checkpoint.checkpoint_ns } : {}),
      ...(body.checkpoint?.checkpoint_map ? { checkpoint_map: body.checkpoint.checkpoint_map } : {}),
    };
    const {
      configurable: _c,
      recursion_limit,
      ...restConfig
    } = { ...assistantConfig, ...thread.config, ...requestConfig } as Json & {
      configurable?: Json;
      recursion_limit?: number;
    };
    return {
      graphId,
      config: {
        ...restConfig,
        configurable,
        // run_id in checkpoint metadata lets rollback find exactly this run's checkpoints.
        metadata: {
          ...(thread.metadata ?? {}),
          ...run.metadata,
          run_id: run.run_id,
          thread_id: run.thread_id,
          graph_id: graphId,
        },
        ...(recursion_limit !== undefined ? { recursionLimit: recursion_limit } : {}),
      },
      context: { ...assistantContext, ...(body.context ?? {}) },
      graphModes,
      subgraphs: body.stream_subgraphs ?? false,
      interruptBefore: body.interrupt_before ?? undefined,
      interruptAfter: body.interrupt_after ?? undefined,
      durability: body.durability ?? undefined,
    };
  }

  private start(run: RunRecord, plan: RunPlan): void {
    const controller = new AbortController();
    let resolveDone!: (r: RunRecord) => void;
    const done = new Promise<RunRecord>((resolve) => (resolveDone = resolve));
    const active: ActiveRun = { run, controller, cancelAction: null, done };
    this.active.set(run.run_id, active);
    setImmediate(() => {
      executeRun(this.deps, active, plan)
        .catch(async (err) => {
          this.deps.logger.error({ err, run_id: run.run_id }, "run executor crashed");
          await this.deps.stores.runs.transition(run.run_id, ["pending", "running"], "error", { error: String(err) });
          await this.deps.streams.finish(run.run_id);
          return (await this.deps.stores.runs.get(run.run_id)) ?? run;
        })
        .then((final) => {
          this.active.delete(run.run_id);
          resolveDone(final);
        });
    });
  }

  async get(threadId: string, runId: string): Promise<RunRecord> {
    const run = await this.deps.stores.runs.get(runId);
    if (!run || run.thread_id !== threadId) throw new NotFoundError("Run not found");
    return run;
  }

  /**
   * Cancels a run. `stopped`: it has reached its final status (always so with wait);
   * `requested`: the running graph was told to stop and will shortly.
   */
  async cancel(threadId: string, runId: string, action: CancelAction, wait: boolean): Promise<CancelOutcome> {
    const run = await this.get(threadId, runId);
    if (run.status === "interrupted") return "stopped"; // idempotent
    if (TERMINAL.has(run.status)) throw new ConflictError(`Run ${runId} is not cancellable (status: ${run.status})`);
    const active = this.active.get(runId);
    if (!active) {
      // Active in the store but not executing here: a leftover; settle it now.
      await this.deps.stores.runs.transition(runId, ["pending", "running"], "interrupted");
      await this.deps.streams.finish(runId);
      await settleThread(this.deps, threadId, null, "cancelled");
      return "stopped";
    }
    active.cancelAction ??= action;
    active.controller.abort(new Error(`run cancelled (${action})`));
    if (wait) {
      await active.done;
      return "stopped";
    }
    return "requested";
  }

  /** Resolves with the run's final record once it has ended. */
  async waitForEnd(runId: string): Promise<RunRecord | null> {
    const active = this.active.get(runId);
    if (active) return active.done;
    return this.deps.stores.runs.get(runId);
  }

  /** The thread's latest state values (what `runs/wait` and `join` return). */
  async finalValues(run: RunRecord): Promise<unknown> {
    if (run.status === "error" && run.error && !run.error.startsWith("Rolled back")) {
      const [error, ...rest] = run.error.split(": ");
      return { __error__: { error, message: rest.join(": ") } };
    }
    const thread = await this.deps.stores.threads.get(run.thread_id);
    return thread?.values ?? {};
  }

  /**
   * Boot-time recovery: a run left `running` by a process that died is ended as
   * `error` with the reason (its checkpoints are kept, so a new run can resume
   * the thread); a run left `pending` never started and is started now.
   */
  async recover(): Promise<void> {
    const { stores, streams, logger } = this.deps;
    const leftovers = await stores.runs.listByStatus(["pending", "running"]);
    for (const run of leftovers) {
      if (run.status === "running") {
        await stores.runs.transition(run.run_id, ["running"], "error", {
          error: "ServerRestart: the server stopped while this run was executing; its last checkpoint is kept",
          stop_reason: "orphan_recovered",
        });
        await settleThread(this.deps, run.thread_id, null, "failed");
        logger.warn({ run_id: run.run_id }, "ended a run orphaned by a previous process");
      } else {
        const thread = await stores.threads.get(run.thread_id);
        const assistant = this.deps.assistants.resolve(run.assistant_id);
        if (!thread || !assistant) {
          await stores.runs.transition(run.run_id, ["pending"], "error", {
            error: "NotFound: thread or assistant is gone",
          });
          continue;
        }
        const body = { ...(run.kwargs as unknown as RunRequest), assistant_id: run.assistant_id };
        const modes = resolveStreamModes(body.stream_mode, logger);
        streams.open(run.run_id);
        this.start(
          run,
          this.plan(run, thread, assistant.graph_id, assistant.config, assistant.context, body, modes.graphModes),
        );
      }
    }
  }

  /** Stops every run executing here; they end as `interrupted` with their checkpoints kept. */
  async close(): Promise<void> {
    this.closed = true;
    const runs = [...this.active.values()];
    for (const active of runs) {
      active.cancelAction ??= "interrupt";
      active.controller.abort(new Error("server shutting down"));
    }
    await Promise.all(runs.map((a) => a.done));
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
