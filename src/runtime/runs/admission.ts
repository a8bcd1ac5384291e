/**
 * What admitting a run needs before anything is written: the request's shape (RunRequest), checks
 * against the assistant, its graph and the thread's checkpoints, and the run record it becomes.
 * Storing it (one transaction with its thread, or with a whole batch) is the RunManager's business.
 */
import { v7 as uuidv7 } from "uuid";
import type { Logger } from "../../logger.ts";
import type { AdmissionRefusal, Json, NewRun, Stores, ThreadPatch } from "../../stores/types.ts";
import type { CronSlot } from "../../stores/crons.ts";
import type { Assert, Equals, Schema } from "../../contract.ts";
import { ApiError, ConflictError, NotFoundError, UnprocessableError, invalid } from "../../http/errors.ts";
import { threadNotFound } from "../threads/access.ts";
import type { Assistant, AssistantDirectory } from "../assistants/directory.ts";
import { GraphBuildError, type GraphRegistry } from "../graphs/registry.ts";
import { resolveStreamModes } from "../streams/modes.ts";
import { threadConfigOfRun } from "../threads/config.ts";
import { clientConfig, clientContext, runConfigFor, stampedMetadata, type Access } from "../../auth/access.ts";

/**
 * The run-creating request body: the spec's RunCreate, of `createRun`, `streamRun`, `waitRun`, the
 * stateless runs and each element of `createRunBatch`. Read field by field below, so a field the spec
 * renames or retypes fails typecheck here.
 */
export type RunRequest = Schema<"RunCreate">;
// The enums of RunCreate the code branches on value by value (multitask_strategy: see MultitaskStrategy):
// a value the spec adds fails here until it is handled.
type _IfNotExists = Assert<Equals<NonNullable<RunRequest["if_not_exists"]>, "create" | "reject">>;
type _OnCompletion = Assert<Equals<NonNullable<RunRequest["on_completion"]>, "delete" | "keep">>;
type _OnDisconnect = Assert<Equals<NonNullable<RunRequest["on_disconnect"]>, "cancel" | "continue">>;

/**
 * What a run's creator adds: the cron slot it fills; kwargs the server sets (`stream_protocol` of
 * protocol v2); the request's `Idempotency-Key` (see idempotency.ts).
 */
export interface RunExtras {
  slot?: CronSlot;
  kwargs?: Json;
  idempotencyKey?: string;
}

/** What a stateless run's creator adds (no kwargs of its own). */
export type StatelessExtras = Omit<RunExtras, "kwargs">;

/** A cron's slot was taken by another tick first: its run was not admitted (nothing was written). */
export class SlotTaken extends Error {
  constructor(readonly cronId: string) {
    super(`slot of cron ${cronId} already taken`);
  }
}

/** Why a run was not admitted, as the error its caller gets. */
export function refusal(threadId: string, refused: AdmissionRefusal, cronId?: string): Error {
  // The thread may have been deleted while the request waited for the lock (or is not the caller's).
  if (refused === "thread-missing") return threadNotFound(threadId);
  if (refused === "slot-taken") return new SlotTaken(cronId ?? "");
  return new ConflictError(
    "Thread is already running a task. Wait for it to finish or choose a different multitask strategy.",
  );
}

/** A batch element's error, with the element's index in each field path (`["body", 2, "assistant_id"]`). */
export function atBatchIndex(err: unknown, index: number): unknown {
  if (err instanceof NotFoundError) {
    return new UnprocessableError([{ loc: ["body", index, "assistant_id"], msg: err.message, type: "value_error" }]);
  }
  if (err instanceof ApiError && Array.isArray(err.detail)) {
    return new UnprocessableError(err.detail.map((d) => ({ ...d, loc: ["body", index, ...d.loc.slice(1)] })));
  }
  return err;
}

/** The run kwargs of a run on a temporary thread of its own (a stateless run). */
export function statelessKwargs(body: RunRequest): Json {
  return { temporary: true, on_completion: body.on_completion ?? "delete" };
}

/** Whether a request asks for its run to wait (`after_seconds` > 0). */
export function isDelayed(body: RunRequest): boolean {
  return Number(body.after_seconds ?? 0) > 0;
}

export interface RunCheckDeps {
  stores: Stores;
  registry: GraphRegistry;
  assistants: AssistantDirectory;
  logger: Logger;
}

/** Everything that can be checked before anything is written; throws 404/422 ApiErrors. */
export async function validateRun(
  deps: RunCheckDeps,
  threadId: string,
  body: RunRequest,
  access: Access,
): Promise<Assistant> {
  const assistant = await deps.assistants.resolve(body.assistant_id, access.assistants);
  if (!assistant) {
    throw new NotFoundError(
      `No assistant found for "${body.assistant_id}". Make sure the assistant ID is for a valid assistant or a valid graph ID.`,
    );
  }
  if (body.checkpoint?.thread_id && body.checkpoint.thread_id !== threadId) {
    throw invalid("body", "checkpoint.thread_id", "the checkpoint belongs to another thread");
  }
  await checkAgainstGraph(deps, threadId, assistant, body);
  return assistant;
}

/**
 * The fork checkpoint must exist, or nothing is started. Breakpoints naming no node of the graph are
 * accepted, as LangGraph accepts them (they never match; clients send such lists), with a warning.
 */
async function checkAgainstGraph(
  deps: RunCheckDeps,
  threadId: string,
  assistant: Assistant,
  body: RunRequest,
): Promise<void> {
  // Built with no config, only to name its nodes: a factory may refuse that and accept the config the
  // run starts with (assistant < thread < request), so then the run goes ahead unchecked, and fails as
  // an error naming what its factory threw if that config is refused too. A graph that failed to load
  // is refused here (GraphLoadError, 409).
  const graph = await deps.registry.get(assistant.graph_id).catch((err: unknown) => {
    if (err instanceof GraphBuildError) return null;
    throw err;
  });
  const nodes = new Set(Object.keys((graph as unknown as { nodes?: Record<string, unknown> } | null)?.nodes ?? {}));
  for (const field of ["interrupt_before", "interrupt_after"] as const) {
    const names = body[field];
    if (!graph || !Array.isArray(names)) continue;
    const unknown = names.filter((n) => !nodes.has(n));
    if (unknown.length) {
      deps.logger.warn(
        { thread_id: threadId, graph_id: assistant.graph_id, [field]: unknown },
        `${field} names no node of graph "${assistant.graph_id}": ${unknown.join(", ")}; they never match`,
      );
    }
  }
  const checkpointId = body.checkpoint?.checkpoint_id ?? body.checkpoint_id;
  if (checkpointId) {
    const tuple = await deps.stores.checkpointer.getTuple({
      configurable: {
        thread_id: threadId,
        checkpoint_ns: body.checkpoint?.checkpoint_ns ?? "",
        checkpoint_id: checkpointId,
      },
    });
    if (!tuple) {
      const field = body.checkpoint?.checkpoint_id ? "checkpoint.checkpoint_id" : "checkpoint_id";
      throw invalid("body", field, `no checkpoint ${checkpointId} on thread ${threadId}`);
    }
  }
}

/** The run record a request becomes, and what its admission does to its thread. */
export function newRunFor(
  threadId: string,
  assistant: Assistant,
  body: RunRequest,
  extraKwargs: Json,
  logger: Logger,
  access: Access,
): { run: NewRun; thread: ThreadPatch } {
  const modes = resolveStreamModes(body.stream_mode, logger);
  const run: NewRun = {
    run_id: uuidv7(),
    thread_id: threadId,
    assistant_id: assistant.assistant_id,
    metadata: stampedMetadata(access, body.metadata),
    multitask_strategy: body.multitask_strategy ?? "reject",
    owner_id: access.owner_id,
    kwargs: {
      input: body.input ?? null,
      command: body.command ?? null,
      // Who the run acts for is the server's to say: what a client sends under those keys is dropped.
      config: runConfigFor(access, body.config),
      context: clientContext(body.context ?? {}),
      stream_mode: modes.requested,
      stream_subgraphs: body.stream_subgraphs ?? false,
      stream_resumable: body.stream_resumable ?? false,
      interrupt_before: body.interrupt_before ?? null,
      interrupt_after: body.interrupt_after ?? null,
      on_disconnect: body.on_disconnect ?? "continue",
      checkpoint: body.checkpoint ?? null,
      checkpoint_id: body.checkpoint?.checkpoint_id ?? body.checkpoint_id ?? null,
      after_seconds: body.after_seconds ?? null,
      feedback_keys: body.feedback_keys ?? null,
      webhook: body.webhook ?? null,
      durability: body.durability ?? null,
      ...extraKwargs,
    },
  };
  const thread: ThreadPatch = {
    status: "busy",
    metadata: { graph_id: assistant.graph_id, assistant_id: assistant.assistant_id },
    mergeConfigUnlessBusy: threadConfigOfRun(clientConfig(body.config)), // the thread's config follows its runs
  };
  return { run, thread };
}
