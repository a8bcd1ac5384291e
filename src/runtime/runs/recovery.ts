/**
 * Boot-time recovery of what a process that died left behind: pending runs — queued, delayed, or
 * taken over from the process that was executing them — are queued again; threads left busy with
 * nothing to run are settled as their last run ended.
 */
import type { ThreadRecord } from "../../stores/types.ts";
import { graphOrNull, settleThread, type ExecutorDeps } from "./executor.ts";

export type RecoveryDeps = Pick<ExecutorDeps, "stores" | "streams" | "logger" | "registry">;

/**
 * `kick` hands a thread to the run queue, which starts its next run when it may. Runs left `running`
 * were taken over before (RunCluster.takeOverAll): they are pending again, to be resumed. With
 * `settleBusyThreads` (one process alone), threads left busy with nothing to run are settled.
 */
export async function recoverRuns(
  deps: RecoveryDeps,
  kick: (threadId: string) => void,
  opts: { settleBusyThreads: boolean },
): Promise<void> {
  const { stores, streams, logger } = deps;
  const leftovers = await stores.runs.listActive(["pending"]);
  const threads = new Set<string>();
  for (const run of leftovers) {
    threads.add(run.thread_id);
    // One process alone keeps pending runs' logs open; where processes share the database, a run's log
    // opens where it is claimed.
    if (opts.settleBusyThreads) await streams.reopen(run.run_id);
  }
  for (const threadId of threads) kick(threadId);
  if (!opts.settleBusyThreads) return;
  // A process that died after a run's final status was written, but before its thread was settled,
  // left the thread busy with nothing to run: settle it as its last run ended.
  for (const thread of await busyThreads(deps)) {
    if (threads.has(thread.thread_id)) continue;
    if ((await stores.runs.activeForThread(thread.thread_id)).length > 0) continue;
    const [last] = await stores.runs.listByThread(thread.thread_id, { limit: 1, offset: 0 });
    const outcome =
      last?.status === "interrupted" ? "cancelled" : last?.status === "success" || !last ? "completed" : "failed";
    const graphId = thread.metadata.graph_id;
    const graph = typeof graphId === "string" ? await graphOrNull(deps, graphId) : null;
    await settleThread(deps, thread.thread_id, graph, outcome);
    logger.warn({ thread_id: thread.thread_id }, "settled a thread a previous process left busy");
  }
}

async function busyThreads(deps: RecoveryDeps): Promise<ThreadRecord[]> {
  const found: ThreadRecord[] = [];
  for (;;) {
    const { items } = await deps.stores.threads.search({ status: "busy", limit: 100, offset: found.length });
    found.push(...items);
    if (items.length < 100) return found;
  }
}
