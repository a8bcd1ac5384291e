/** Tag `threads`: thread records, state and history. */
import { v4 as uuidv4 } from "uuid";
import { ConflictError, NotFoundError, invalid } from "../http/errors.ts";
import { requireThread } from "../runtime/threads/access.ts";
import { stampedMetadata, type Access } from "../auth/access.ts";
import type { Json } from "../stores/types.ts";
import { checkMergedMetadata } from "../runtime/threads/metadata.ts";
import { cachedValues, interruptsByTask } from "../runtime/threads/state.ts";
import { ttlOfRequest } from "../runtime/threads/ttl-settings.ts";
import type { TagHandlers } from "./types.ts";
import { flag, listParam, selectFields, threadWire } from "./shared/wire.ts";

type ThreadOps =
  | "createThread"
  | "searchThreads"
  | "countThreads"
  | "getThread"
  | "patchThread"
  | "deleteThread"
  | "getThreadState"
  | "updateThreadState"
  | "readThreadStateAtCheckpoint"
  | "getThreadStateAtCheckpoint"
  | "listThreadHistory"
  | "searchThreadHistory";

/**
 * A metadata patch as stored: the caller's stamp (its owner, its filters) kept over whatever the patch
 * sends for those keys, so a thread cannot be handed to, or hidden from, another user's filters.
 */
function stampedPatch(current: Json, patch: Json, access: Access): Json {
  const stamped = stampedMetadata(access, { ...current, ...patch });
  const keys = new Set([...Object.keys(patch), ...Object.keys(access.stamp)]);
  return Object.fromEntries([...keys].map((key) => [key, stamped[key]]));
}

function checkpointMissing(threadId: string, checkpointId: string | undefined): string {
  return checkpointId
    ? `Checkpoint ${checkpointId} not found on thread ${threadId}`
    : `Thread ${threadId} has no checkpoint in that namespace`;
}

export const threadHandlers: TagHandlers<ThreadOps> = {
  async createThread({ body, access }, { stores, state, runs, threadTtl }) {
    const threadId = body?.thread_id ?? uuidv4();
    const metadata = stampedMetadata(access, body?.metadata);
    const ttl = body?.ttl ? ttlOfRequest(body.ttl) : threadTtl.defaultTtl;
    // A thread of that id exists: yours is returned with do_nothing; another user's is only "exists".
    const existing = async () => {
      const mine = body?.if_exists === "do_nothing" ? await stores.threads.get(threadId, access.scope) : null;
      if (mine) return { status: 200 as const, body: threadWire(mine) };
      throw new ConflictError("Thread already exists");
    };
    const owner_id = access.owner_id;
    const supersteps = body?.supersteps ?? [];
    if (supersteps.length === 0) {
      const created = await stores.threads.create({ thread_id: threadId, metadata, owner_id, ttl });
      return created ? { status: 200, body: threadWire(created) } : existing();
    }
    // Checked before anything is written; then, under the thread's lock, the checkpoints go in before the
    // thread row, so a superstep LangGraph refuses leaves nothing behind and nobody sees a half-made thread.
    const graph = await state.superstepsGraph(metadata, supersteps);
    return runs.exclusive(threadId, async () => {
      if (await stores.threads.get(threadId)) return existing();
      const view = await state.applySupersteps(graph, threadId, String(metadata.graph_id), supersteps);
      if (!(await stores.threads.create({ thread_id: threadId, metadata, owner_id, ttl }))) {
        await stores.checkpointer.deleteThread(threadId); // created by a run's if_not_exists meanwhile
        return existing();
      }
      const created = await stores.threads.update(threadId, {
        values: cachedValues(view),
        interrupts: interruptsByTask(view),
      });
      return { status: 200, body: threadWire(created ?? (await requireThread(stores, threadId, access))) };
    });
  },

  async searchThreads({ body, access }, { stores }) {
    const limit = body?.limit ?? 10;
    const offset = body?.offset ?? 0;
    const { items, total } = await stores.threads.search({
      metadata: body?.metadata ?? undefined,
      values: body?.values ?? undefined,
      ids: body?.ids ?? undefined,
      status: body?.status ?? undefined,
      limit,
      offset,
      sort_by: body?.sort_by ?? undefined,
      sort_order: body?.sort_order ?? undefined,
      scope: access.scope,
    });
    const headers: Record<string, string> = { "X-Pagination-Total": String(total) };
    if (offset + items.length < total) headers["X-Pagination-Next"] = String(offset + items.length);
    return { status: 200, body: items.map((thread) => selectFields(threadWire(thread), body?.select)), headers };
  },

  async countThreads({ body, access }, { stores }) {
    const count = await stores.threads.count({
      metadata: body?.metadata ?? undefined,
      values: body?.values ?? undefined,
      ids: body?.ids ?? undefined,
      status: body?.status ?? undefined,
      scope: access.scope,
    });
    return { status: 200, body: count };
  },

  async getThread({ params, query, access }, { stores }) {
    const include = listParam(query.include);
    const thread = await requireThread(stores, params.thread_id, access);
    return { status: 200, body: threadWire(thread, include.includes("ttl")) };
  },

  async patchThread({ params, body, access }, { stores }) {
    const thread = await requireThread(stores, params.thread_id, access);
    const metadata = stampedPatch(thread.metadata, body?.metadata ?? {}, access);
    checkMergedMetadata(thread, metadata);
    const ttl = body?.ttl === undefined ? undefined : ttlOfRequest(body.ttl);
    const updated = await stores.threads.update(params.thread_id, { metadata, ttl });
    return { status: 200, body: threadWire(updated ?? (await requireThread(stores, params.thread_id, access))) };
  },

  async deleteThread({ params, access }, { stores, runs }) {
    await requireThread(stores, params.thread_id, access);
    await runs.exclusive(params.thread_id, async () => {
      if ((await stores.runs.activeForThread(params.thread_id)).length > 0) {
        throw new ConflictError("Thread has a run in flight; cancel it or wait for it to finish");
      }
      await stores.threads.delete(params.thread_id); // with its runs, events, journal and checkpoints
    });
    return { status: 204 };
  },

  async getThreadState({ params, query, access }, { stores, state }) {
    const thread = await requireThread(stores, params.thread_id, access);
    const subgraphs = flag(query.subgraphs);
    return { status: 200, body: await state.current(thread, subgraphs) };
  },

  async updateThreadState({ params, body, access }, { stores, state, runs }) {
    const thread = await requireThread(stores, params.thread_id, access);
    // Under the thread's admission lock, so no run can start between the check and the write.
    const checkpoint = await runs.exclusive(thread.thread_id, async () => {
      if ((await stores.runs.activeForThread(thread.thread_id)).length > 0) {
        throw new ConflictError("Thread is busy: a run is pending or running; wait for it or cancel it first");
      }
      const updated = await state.update(thread, body ?? {});
      await stores.threads.update(thread.thread_id, {
        values: cachedValues(updated.state),
        interrupts: interruptsByTask(updated.state),
      });
      return updated.checkpoint;
    });
    return { status: 200, body: { checkpoint } };
  },

  async readThreadStateAtCheckpoint({ params, body, access }, { stores, state }) {
    const thread = await requireThread(stores, params.thread_id, access);
    const ref = body.checkpoint;
    if (ref.thread_id && ref.thread_id !== thread.thread_id) {
      throw invalid("body", "checkpoint.thread_id", "the checkpoint belongs to another thread");
    }
    const view = await state.atCheckpoint(thread, ref, body.subgraphs ?? false);
    if (!view) throw new NotFoundError(checkpointMissing(thread.thread_id, ref.checkpoint_id));
    return { status: 200, body: view };
  },

  async getThreadStateAtCheckpoint({ params, query, access }, { stores, state }) {
    const thread = await requireThread(stores, params.thread_id, access);
    const view = await state.atCheckpoint(thread, { checkpoint_id: params.checkpoint_id }, flag(query.subgraphs));
    if (!view) throw new NotFoundError(checkpointMissing(thread.thread_id, params.checkpoint_id));
    return { status: 200, body: view };
  },

  async listThreadHistory({ params, query, access }, { stores, state }) {
    const thread = await requireThread(stores, params.thread_id, access);
    return { status: 200, body: await state.history(thread, { limit: query.limit ?? 10, before: query.before }) };
  },

  async searchThreadHistory({ params, body, access }, { stores, state }) {
    const thread = await requireThread(stores, params.thread_id, access);
    const history = await state.history(thread, {
      limit: body?.limit ?? 10,
      before: body?.before,
      metadata: body?.metadata,
      checkpoint: body?.checkpoint,
    });
    return { status: 200, body: history };
  },
};
