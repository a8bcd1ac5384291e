/**
 * The one way handlers reach a thread: missing (and, once auth lands, not
 * yours) is a 404 either way, so ids cannot be probed.
 */
import { NotFoundError } from "../../http/errors.ts";
import type { Stores, ThreadRecord } from "../../stores/types.ts";

export async function requireThread(stores: Stores, threadId: string): Promise<ThreadRecord> {
  const thread = await stores.threads.get(threadId);
  if (!thread) throw new NotFoundError(`Thread with ID ${threadId} not found`);
  return thread;
}
