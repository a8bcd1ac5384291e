/**
 * The protocol v2 events of a thread, for one connection: what the thread retains (from its oldest
 * active run, or its latest run), then live, across runs, until the connection goes. A connection
 * may come before the thread exists (a client that picked the thread's id opens its streams and sends
 * `run.start` at the same time): it waits for the thread's first run, and ends if that thread turns
 * out not to be the caller's.
 */
import type { Access } from "../../auth/access.ts";
import type { Stores } from "../../stores/types.ts";
import type { ThreadStreams } from "../streams/thread-follow.ts";
import { threadNotFound } from "../threads/access.ts";
import { framesOf, type ProtocolFrame } from "./frames.ts";

export interface ProtocolEventDeps {
  stores: Stores;
  threadStreams: ThreadStreams;
}

/**
 * Throws the thread's 404 when it exists and is not the caller's; resolves to whether it exists
 * (a thread that does not exist yet may be the caller's to create).
 */
export async function checkThreadAccess(stores: Stores, threadId: string, access: Access): Promise<boolean> {
  // Whether it exists first: a thread made between the two reads is then seen as the caller's, not refused.
  if (!(await stores.threads.get(threadId))) return false;
  if (!(await stores.threads.get(threadId, access.scope))) throw threadNotFound(threadId);
  return true;
}

/**
 * Every protocol event of the thread for this connection (after `since`, when given), unfiltered.
 * `exists`: what checkThreadAccess answered, before the connection was accepted.
 */
export async function* threadFrames(
  deps: ProtocolEventDeps,
  threadId: string,
  access: Access,
  opts: { exists: boolean; since?: number; signal: AbortSignal },
): AsyncGenerator<ProtocolFrame> {
  let confirmed = opts.exists;
  const lookup = (id: string) => deps.stores.threads.get(id);
  for await (const item of deps.threadStreams.follow(threadId, { from: "retained" }, opts.signal)) {
    if (!confirmed) {
      // The thread came with its first run: whose it is was decided then.
      if (!(await deps.stores.threads.get(threadId, access.scope))) return;
      confirmed = true;
    }
    for (const frame of await framesOf(item, lookup)) {
      if (opts.since !== undefined && frame.seq <= opts.since) continue;
      yield frame;
    }
  }
}
