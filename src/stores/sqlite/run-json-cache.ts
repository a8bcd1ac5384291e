/**
 * The wire JSON of finished runs, kept after the first read. A run that has reached a final status
 * does not change again but for its feedback counts, and finished runs are what clients fetch again
 * and again (a dashboard, a poll that outlives its run). Under the GET bench, reading one from SQLite took ~30 µs of a request's
 * ~190 µs of CPU, the largest single cost after Node's own HTTP work.
 *
 * Safe because this process is the only writer of its database file (the embedded store's model):
 * every statement that changes or deletes a run, or writes feedback on it, goes through a store that
 * evicts here first.
 * Bounded by the bytes of JSON held, least recently read out first.
 */
import { LRUCache } from "lru-cache";
import type { RunJson } from "../types.ts";

export class RunJsonCache {
  private readonly entries: LRUCache<string, RunJson>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache({
      maxSize: Math.max(1, maxBytes),
      // A JSON text longer than the whole budget is simply not kept.
      sizeCalculation: (entry) => entry.json.length + entry.thread_id.length,
    });
  }

  get(runId: string): RunJson | undefined {
    return this.entries.get(runId);
  }

  /**
   * Only for runs in a final status: such a run changes only through an update, transition or delete,
   * or a write of feedback on it, which forget it first.
   */
  keep(runId: string, entry: RunJson): void {
    this.entries.set(runId, entry);
  }

  /** Before a statement that updates or deletes this run. */
  forget(runId: string): void {
    this.entries.delete(runId);
  }
}
