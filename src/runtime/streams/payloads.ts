/**
 * Payload shapes of the `debug`, `tasks` and `checkpoints` stream modes.
 *
 * LangGraph.js streams checkpoints as `{config, values, metadata, next, tasks, parentConfig}`
 * (camelCase, with internal `__pregel_*` configurable keys) and tasks with a
 * `state` config for subgraph tasks. LangGraph Platform clients get:
 * - `debug` checkpoint: `{config, values, metadata, next, tasks, checkpoint, parent_checkpoint, parent_config}`
 *   with `__*` configurable keys and `callbacks` removed from both configs;
 * - `tasks` (and `debug` task results): a subgraph task's `state` becomes `checkpoint`;
 * - `checkpoints`: `{values, metadata, next}`.
 */

type Config = { configurable?: Record<string, unknown>; callbacks?: unknown; [key: string]: unknown };

export interface CheckpointRef {
  thread_id: string;
  checkpoint_id: string | null;
  checkpoint_ns: string;
  checkpoint_map: Record<string, unknown> | null;
}

function configurableOf(config: unknown): Record<string, unknown> | null {
  if (typeof config !== "object" || config === null) return null;
  const configurable = (config as Config).configurable;
  return typeof configurable === "object" && configurable !== null ? configurable : null;
}

/** `{thread_id, checkpoint_id, checkpoint_ns, checkpoint_map}` of a config; `null` without a thread or (unless `task`) a checkpoint id. */
function checkpointRef(config: unknown, task: boolean): CheckpointRef | null {
  const c = configurableOf(config);
  if (!c || typeof c.thread_id !== "string" || !c.thread_id) return null;
  const id = c.checkpoint_id;
  if (typeof id !== "string" && !(task && id == null)) return null;
  const ns = c.checkpoint_ns;
  const map = c.checkpoint_map;
  if (ns != null && typeof ns !== "string") return null;
  if (map != null && (typeof map !== "object" || Array.isArray(map))) return null;
  return {
    thread_id: c.thread_id,
    checkpoint_id: (id as string | null | undefined) || null,
    checkpoint_ns: (ns as string | null | undefined) || "",
    checkpoint_map: (map as Record<string, unknown> | null | undefined) || null,
  };
}

/** A config without internal (`__*`) configurable keys and without callbacks. */
function publicConfig(config: unknown): unknown {
  const c = configurableOf(config);
  if (!c) return config;
  const configurable: Record<string, unknown> = {};
  for (const key in c) if (!key.startsWith("__")) configurable[key] = c[key];
  const out: Config = { ...(config as Config), configurable };
  delete out.callbacks;
  return out;
}

type Task = { state?: unknown; [key: string]: unknown };

/** A task (start, result or error) as the platform streams it. */
export function platformTask(task: unknown): unknown {
  if (typeof task !== "object" || task === null) return task;
  const state = (task as Task).state;
  if (state === undefined) return task;
  const checkpoint = configurableOf(state) ? checkpointRef(state, true) : null;
  if (!checkpoint) return task;
  const out: Task = { ...(task as Task), checkpoint };
  delete out.state;
  return out;
}

type DebugCheckpoint = { config?: unknown; parentConfig?: unknown; tasks?: unknown[]; [key: string]: unknown };

/** A checkpoint as the `debug` mode streams it. */
export function platformDebugCheckpoint(payload: unknown): unknown {
  if (typeof payload !== "object" || payload === null) return payload;
  const p = payload as DebugCheckpoint;
  const out: DebugCheckpoint = {
    ...p,
    checkpoint: checkpointRef(p.config, false),
    parent_checkpoint: checkpointRef(p.parentConfig, false),
    tasks: Array.isArray(p.tasks) ? p.tasks.map(platformTask) : p.tasks,
  };
  out.parent_config = p.parentConfig;
  delete out.parentConfig;
  out.config = publicConfig(out.config);
  out.parent_config = publicConfig(out.parent_config);
  return out;
}

type DebugChunk = { type?: string; payload?: unknown; [key: string]: unknown };

/** A `debug` chunk (`checkpoint`, `task` or `task_result`). */
export function platformDebug(chunk: unknown): unknown {
  if (typeof chunk !== "object" || chunk === null) return chunk;
  const c = chunk as DebugChunk;
  if (c.type === "checkpoint") return { ...c, payload: platformDebugCheckpoint(c.payload) };
  if (c.type === "task_result") return { ...c, payload: platformTask(c.payload) };
  return chunk;
}

/** A `checkpoints` chunk: `{values, metadata, next}`. */
export function platformCheckpoint(payload: unknown): unknown {
  if (typeof payload !== "object" || payload === null) return payload;
  const p = payload as { values?: unknown; metadata?: unknown; next?: unknown };
  return { values: p.values, metadata: p.metadata, next: p.next };
}

/** Reshapes a LangGraph chunk of `mode` into its platform payload (identity for most modes). */
export const PAYLOAD_MAPPERS: Partial<Record<string, (payload: unknown) => unknown>> = {
  debug: platformDebug,
  tasks: platformTask,
  checkpoints: platformCheckpoint,
};
