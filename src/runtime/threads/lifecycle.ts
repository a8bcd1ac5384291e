/**
 * Thread lifecycle beyond create and delete: copying a thread with its whole checkpoint history, and
 * pruning threads (deleted, or cut down to their latest state). Each works under the thread's admission
 * lock, so no run starts on a thread while its checkpoints are read or rewritten, and a busy thread (a
 * run pending or running on it) is never touched.
 */
import { v4 as uuidv4 } from "uuid";
import { ConflictError } from "../../http/errors.ts";
import { stampedMetadata, type Access } from "../../auth/access.ts";
import type { Json, Stores, ThreadRecord } from "../../stores/types.ts";
import type { RunManager } from "../runs/manager.ts";
import { threadNotFound } from "./access.ts";

type Lock = Pick<RunManager, "exclusive">;

/** The thread's config for its copy: a `configurable.thread_id` it carries names the copy. */
function configFor(config: Json, threadId: string): Json {
  const configurable = config.configurable;
  if (typeof configurable !== "object" || configurable === null || !("thread_id" in configurable)) return config;
  return { ...config, configurable: { ...(configurable as Json), thread_id: threadId } };
}

/**
 * A new thread of the caller's (its owner, its stamp over the metadata) with the source's metadata, config,
 * status, values and interrupts, and every checkpoint of the source under the new id: its history is the
 * source's but for the thread id. 409 while a run is pending or running on the source.
 */
export async function copyThread(stores: Stores, lock: Lock, source: string, access: Access): Promise<ThreadRecord> {
  return lock.exclusive(source, async () => {
    // Read again under the lock: what a run that ended meanwhile left is what is copied.
    const from = await stores.threads.get(source, access.scope);
    if (!from) throw threadNotFound(source);
    if ((await stores.runs.activeForThread(source)).length > 0) {
      throw new ConflictError("Thread is busy: a run is pending or running; wait for it or cancel it first");
    }
    const threadId = uuidv4();
    // The checkpoints before the thread row: nobody sees the copy before its history is complete.
    await stores.checkpointAdmin.copyThread(source, threadId);
    const created = await stores.threads.create({
      thread_id: threadId,
      metadata: stampedMetadata(access, from.metadata),
      owner_id: access.owner_id,
      status: from.status,
      config: configFor(from.config, threadId),
      values: from.values,
      interrupts: from.interrupts,
    });
    if (!created) {
      await stores.checkpointer.deleteThread(threadId);
      throw new ConflictError(`Thread ${threadId} already exists`);
    }
    return created;
  });
}

export type PruneStrategy = "delete" | "keep_latest";

/**
 * Prunes each named thread the caller may see and no run is pending or running on: `delete` removes it
 * (with its runs, events, journal and checkpoints), `keep_latest` keeps the thread and only the latest
 * checkpoint of each namespace. Threads missing, another user's or busy are left alone and not counted.
 * Returns how many threads were pruned.
 */
export async function pruneThreads(
  stores: Stores,
  lock: Lock,
  threadIds: readonly string[],
  strategy: PruneStrategy,
  access: Access,
): Promise<number> {
  let pruned = 0;
  for (const threadId of new Set(threadIds)) {
    const done = await lock.exclusive(threadId, async () => {
      if (!(await stores.threads.get(threadId, access.scope))) return false;
      if ((await stores.runs.activeForThread(threadId)).length > 0) return false;
      if (strategy === "delete") return stores.threads.delete(threadId);
      await stores.checkpointAdmin.keepLatestCheckpoints(threadId);
      return true;
    });
    if (done) pruned += 1;
  }
  return pruned;
}
