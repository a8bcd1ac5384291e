/** Which runs `cancelMany` (POST /runs/cancel) stops: the spec's RunCancelMany, read within the caller's scope. */
import type { Access } from "../../auth/access.ts";
import type { Schema } from "../../contract.ts";
import { NotFoundError, invalid } from "../../http/errors.ts";
import { ACTIVE_RUN_STATUSES, isActiveRunStatus, type RunRecord, type Stores } from "../../stores/types.ts";
import { threadNotFound } from "../threads/access.ts";

/** Which runs `cancelRuns` cancels: the spec's RunCancelMany. */
export type CancelManyQuery = Schema<"RunCancelMany">;

/**
 * The active runs the query names: the given `run_ids` (each must be the caller's, and on `thread_id`
 * when that is given too: 404 otherwise), or the active runs of `thread_id`, or those with `status`.
 */
export async function runsToCancel(stores: Stores, query: CancelManyQuery, access: Access): Promise<RunRecord[]> {
  let runs: RunRecord[];
  if (query.run_ids?.length) {
    runs = [];
    for (const id of query.run_ids) {
      const run = await stores.runs.get(id, access.scope);
      if (!run || (query.thread_id && run.thread_id !== query.thread_id))
        throw new NotFoundError(`Run ${id} not found`);
      runs.push(run);
    }
  } else if (query.thread_id) {
    if (!(await stores.threads.get(query.thread_id, access.scope))) throw threadNotFound(query.thread_id);
    runs = await stores.runs.activeForThread(query.thread_id);
  } else if (query.status) {
    runs = await stores.runs.listActive(query.status === "all" ? ACTIVE_RUN_STATUSES : [query.status], access.scope);
  } else {
    throw invalid("body", "run_ids", "give run_ids, thread_id or status");
  }
  return runs.filter((r) => isActiveRunStatus(r.status));
}
