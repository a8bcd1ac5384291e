/**
 * Boot-time recovery of what a process that died left behind: runs it was executing end as `error`
 * with the reason (their checkpoints are kept, so the thread can go on); pending runs — queued or
 * delayed — are queued again; threads left busy with nothing to run are settled as their last run ended.
 */
import { ACTIVE_RUN_STATUSES, type ThreadRecord } from "../../stores/types.ts";
import { graphOrNull, settleThread, type ExecutorDeps } from "./executor.ts";

export type RecoveryDeps = Pick<ExecutorDeps, "stores" | "streams" | "logger" | "registry">;

/** `kick` hands a thread to the run queue, which starts its next run when it may. */
export async function recoverRuns(deps: RecoveryDeps, kick: (threadId: string) => void): Promise<void> {
  const { stores, streams, logger } = deps;
  const leftovers = await stores.runs.listActive(ACTIVE_RUN_STATUSES);
  const threads = new Set<string>();
  for (const run of leftovers) {
    threads.add(run.thread_id);
    if (run.status === "running") {
      await stores.runs.transition(run.run_id, ["running"], "error", {
        error: "ServerRestart: the server stopped while this run was executing; its last checkpoint is kept",
        stop_reason: "orphan_recovered",
      });
      logger.warn({ run_id: run.run_id }, "ended a run orphaned by a previous process");
    } else {
      await streams.reopen(run.run_id);
    }
  }
  for (const threadId of threads) {
    if ((await stores.runs.activeForThread(threadId)).length === 0) await settleThread(deps, threadId, null, "failed");
    kick(threadId);
  }
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
