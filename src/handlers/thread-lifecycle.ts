/** Tag `threads`: copying and pruning threads, and patching the metadata of their checkpoints. */
import { copyThread } from "../runtime/threads/lifecycle.ts";
import { requireThread } from "../runtime/threads/access.ts";
import type { TagHandlers } from "./types.ts";
import { threadWire } from "./wire.ts";

type ThreadLifecycleOps = "copyThread";

export const threadLifecycleHandlers: TagHandlers<ThreadLifecycleOps> = {
  async copyThread({ params, access }, { stores, runs }) {
    await requireThread(stores, params.thread_id, access);
    return { status: 200, body: threadWire(await copyThread(stores, runs, params.thread_id, access)) };
  },
};
