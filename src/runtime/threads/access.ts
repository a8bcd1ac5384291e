/**
 * The one way handlers reach a thread: within the caller's access. Missing and not yours are the same
 * 404, with the same body, so ids cannot be probed.
 */
import { NotFoundError } from "../../http/errors.ts";
import type { Access } from "../../auth/access.ts";
import type { Stores, ThreadRecord } from "../../stores/types.ts";

export function threadNotFound(threadId: string): NotFoundError {
  return new NotFoundError(`Thread with ID ${threadId} not found`);
}

export async function requireThread(stores: Stores, threadId: string, access: Access): Promise<ThreadRecord> {
  const thread = await stores.threads.get(threadId, access.scope);
  if (!thread) throw threadNotFound(threadId);
  return thread;
}
