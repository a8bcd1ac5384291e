/**
 * How a stored run becomes a LangGraph invocation: config, context and metadata
 * merged assistant < thread < request, the server's configurable keys, the
 * fork point, stream modes. Built when the run starts, from the run record, so
 * a queued, delayed or recovered run needs nothing but what was stored.
 */
import type { Logger } from "../../logger.ts";
import type { Json, RunRecord, ThreadRecord } from "../../stores/types.ts";
import type { Assistant } from "../assistants/directory.ts";
import { resolveStreamModes } from "../streams/modes.ts";
import type { Durability, RunPlan } from "../graphs/run.ts";
import { mergeConfigLayers } from "../threads/config.ts";

type ConfigLike = Json & { configurable?: Json; recursion_limit?: number; metadata?: Json };

export function planRun(run: RunRecord, thread: ThreadRecord, assistant: Assistant, logger: Logger): RunPlan {
  const k = run.kwargs as {
    config?: ConfigLike;
    context?: Json;
    stream_mode?: string[];
    stream_subgraphs?: boolean;
    stream_protocol?: "v2";
    interrupt_before?: "*" | string[] | null;
    interrupt_after?: "*" | string[] | null;
    durability?: Durability | null;
    checkpoint?: { checkpoint_id?: string; checkpoint_ns?: string; checkpoint_map?: Json | null } | null;
    checkpoint_id?: string | null;
  };
  const merged = mergeConfigLayers([assistant.config, thread.config, k.config]) as ConfigLike;
  const { configurable: layered, recursion_limit, metadata: configMetadata, ...rest } = merged;
  const checkpointId = k.checkpoint?.checkpoint_id ?? k.checkpoint_id ?? undefined;
  const configurable: Json = {
    ...layered,
    thread_id: run.thread_id,
    run_id: run.run_id,
    assistant_id: run.assistant_id,
    graph_id: assistant.graph_id,
    ...(checkpointId ? { checkpoint_id: checkpointId } : {}),
    ...(k.checkpoint?.checkpoint_ns ? { checkpoint_ns: k.checkpoint.checkpoint_ns } : {}),
    ...(k.checkpoint?.checkpoint_map ? { checkpoint_map: k.checkpoint.checkpoint_map } : {}),
  };
  return {
    graphId: assistant.graph_id,
    config: {
      ...rest,
      configurable,
      // run_id in checkpoint metadata is how rollback finds exactly this run's checkpoints.
      metadata: {
        ...assistant.metadata,
        ...thread.metadata,
        ...(configMetadata ?? {}),
        ...run.metadata,
        run_id: run.run_id,
        thread_id: run.thread_id,
        graph_id: assistant.graph_id,
        assistant_id: run.assistant_id,
      },
      ...(recursion_limit !== undefined ? { recursionLimit: recursion_limit } : {}),
    },
    context: { ...assistant.context, ...(k.context ?? {}) },
    graphModes: resolveStreamModes(k.stream_mode, logger).graphModes,
    subgraphs: k.stream_subgraphs ?? false,
    protocol: k.stream_protocol === "v2",
    interruptBefore: k.interrupt_before ?? undefined,
    interruptAfter: k.interrupt_after ?? undefined,
    durability: k.durability ?? undefined,
  };
}
