/**
 * Transaction-scoped advisory locks on a thread, one namespace each: where SQLite's single writer made
 * a read-then-write safe (the next journal seq; whether a thread is idle before a run is admitted on
 * it), the Postgres stores take the thread's lock first. Held until the transaction ends. Threads
 * whose ids hash alike share a lock, which only makes them wait on one another.
 */
import type { Queryable } from "../pool.ts";

/** The namespaces (the lock's first key), arbitrary but fixed across processes. */
export const LOCK_JOURNAL_SEQ = 7_300_201;
export const LOCK_THREAD_RUNS = 7_300_202;

/** Takes the locks of these threads in one order (sorted), so two transactions never wait on each other in a cycle. */
export async function lockThreads(q: Queryable, namespace: number, threadIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(threadIds)].sort();
  if (ids.length === 0) return;
  await q.query(
    `SELECT pg_advisory_xact_lock($1, k) FROM (
       SELECT DISTINCT hashtext(id) AS k FROM unnest($2::text[]) AS id ORDER BY k) AS keys`,
    [namespace, ids],
  );
}
