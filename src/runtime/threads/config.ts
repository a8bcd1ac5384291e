/**
 * A thread's config follows its runs, as on LangGraph Platform: when a run is
 * admitted on a thread that is not busy, its request config is merged into the
 * thread's (top-level keys replaced, `configurable` merged key by key; the store
 * applies the merge in the admission's transaction), and state calls build the
 * thread's graph with the result, so a factory graph has the nodes its runs had.
 * A run admitted behind another (enqueued, or replacing it) leaves the config
 * alone, as both official servers do: a run reads the thread's config when it
 * starts, so merging a later run's would change the runs queued before it.
 *
 * Not merged: the keys that identify one run or its fork point. LangGraph.js's
 * server folds a run's `checkpoint_id` into the config it merges, after which
 * every later run of the thread would fork from that checkpoint again.
 */
import type { Json } from "../../stores/types.ts";

const PER_RUN_KEYS = new Set(["thread_id", "run_id", "checkpoint_id", "checkpoint_ns", "checkpoint_map"]);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Configs merged as a run's are, later layers over earlier ones (assistant < thread < request): top-level
 * keys replaced, `configurable` merged key by key.
 */
export function mergeConfigLayers(layers: readonly (Json | null | undefined)[]): Json {
  const merged: Json = Object.assign({}, ...layers);
  merged.configurable = Object.assign({}, ...layers.map((l) => (isObject(l?.configurable) ? l.configurable : {})));
  return merged;
}

/** The part of a run's request config that joins its thread's config. */
export function threadConfigOfRun(config: Json | null | undefined): Json {
  const { configurable, ...rest } = config ?? {};
  const kept = Object.entries(isObject(configurable) ? configurable : {}).filter(
    ([key]) => !PER_RUN_KEYS.has(key) && !key.startsWith("__"),
  );
  return { ...rest, configurable: Object.fromEntries(kept) };
}
