/** Tag `threads`: copying and pruning threads, and patching the metadata of their checkpoints. */
import { copyThread, patchCheckpointMetadata, pruneThreads } from "../runtime/threads/lifecycle.ts";
import { requireThread } from "../runtime/threads/access.ts";
import type { TagHandlers } from "./types.ts";
import { threadWire } from "./shared/wire.ts";

type ThreadLifecycleOps = "copyThread" | "pruneThreads" | "patchThreadState";

export const threadLifecycleHandlers: TagHandlers<ThreadLifecycleOps> = {
  async copyThread({ params, access }, { stores, runs }) {
    await requireThread(stores, params.thread_id, access);
    return { status: 200, body: threadWire(await copyThread(stores, runs, params.thread_id, access)) };
  },

  async pruneThreads({ body, access }, { stores, runs }) {
    const pruned_count = await pruneThreads(stores, runs, body.thread_ids, body.strategy ?? "delete", access);
    return { status: 200, body: { pruned_count } };
  },

  async patchThreadState({ params, body, access }, { stores, runs }) {
    const thread = await requireThread(stores, params.thread_id, access);
    await patchCheckpointMetadata(stores, runs, thread, body);
    return { status: 204 };
  },
};
