/**
 * Thread lifecycle beyond create and delete: copying a thread with its whole checkpoint history, and
 * pruning threads (deleted, or cut down to their latest state). Each works under the thread's admission
 * lock, so no run starts on a thread while its checkpoints are read or rewritten, and a busy thread (a
 * run pending or running on it) is never touched.
 */
import { v4 as uuidv4 } from "uuid";
import { ConflictError, NotFoundError, invalid } from "../../http/errors.ts";
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
 * status, values, interrupts and time to live (counted from the copy), and every checkpoint of the source under the new id: its history is the
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
      ttl: from.ttl && { strategy: from.ttl.strategy, minutes: from.ttl.minutes },
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

/** Checkpoint metadata LangGraph and the server read back (a run's rollback finds its checkpoints by run_id). */
const RESERVED_CHECKPOINT_METADATA = ["run_id", "source", "step", "parents"];

export interface CheckpointMetadataPatch {
  metadata: Json;
  checkpoint_id?: string | null;
  checkpoint?: { thread_id?: string; checkpoint_ns?: string; checkpoint_id?: string } | null;
}

/**
 * Merges metadata into one checkpoint of the thread (its latest, or the one named), under the thread's lock
 * and never while a run is in flight. 404 when there is no such checkpoint; nothing is written on a refusal.
 */
export async function patchCheckpointMetadata(
  stores: Stores,
  lock: Lock,
  thread: ThreadRecord,
  patch: CheckpointMetadataPatch,
): Promise<string> {
  const reserved = RESERVED_CHECKPOINT_METADATA.find((key) => Object.hasOwn(patch.metadata, key));
  if (reserved)
    throw invalid("body", `metadata.${reserved}`, "LangGraph and the server keep this key; it is not patched");
  if (patch.checkpoint?.thread_id && patch.checkpoint.thread_id !== thread.thread_id) {
    throw invalid("body", "checkpoint.thread_id", "the checkpoint belongs to another thread");
  }
  const checkpointNs = patch.checkpoint?.checkpoint_ns ?? "";
  const checkpointId = patch.checkpoint?.checkpoint_id ?? patch.checkpoint_id ?? undefined;
  return lock.exclusive(thread.thread_id, async () => {
    if ((await stores.runs.activeForThread(thread.thread_id)).length > 0) {
      throw new ConflictError("Thread is busy: a run is pending or running; wait for it or cancel it first");
    }
    const patched = await stores.checkpointAdmin.patchCheckpointMetadata(
      thread.thread_id,
      checkpointNs,
      checkpointId,
      patch.metadata,
    );
    if (patched) return patched;
    throw new NotFoundError(
      checkpointId
        ? `Checkpoint ${checkpointId} not found on thread ${thread.thread_id}`
        : `Thread ${thread.thread_id} has no checkpoint in that namespace`,
    );
  });
}
